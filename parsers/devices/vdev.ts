// Virtual disk names (xvda, hdc, sdb2) as the device numbers libxl and xenstore use.

/** libxl's device number for a virtual disk name (xvda, hdc, sdb2, or a plain number). */
export function vdevToDevid(vdev: string): number | undefined {
  if (/^\d+$/.test(vdev)) return Number(vdev);
  const m = /^(xvd|hd|sd)([a-z]+)(\d*)$/.exec(vdev);
  if (!m) return undefined;
  let disk = 0;
  for (const c of m[2]) disk = disk * 26 + (c.charCodeAt(0) - 96);
  disk -= 1;
  const part = m[3] ? Number(m[3]) : 0;
  if (m[1] === 'xvd') {
    if (disk < 16 && part < 16) return (202 << 8) | (disk << 4) | part;
    if (part > 255) return undefined;
    return (1 << 28) | (disk << 8) | part;
  }
  if (m[1] === 'hd') {
    if (disk > 3 || part > 63) return undefined;
    const major = [3, 3, 22, 22][disk];
    return (major << 8) | ((disk % 2) * 64) | part;
  }
  if (disk > 15 || part > 15) return undefined;
  return (8 << 8) | (disk << 4) | part;
}

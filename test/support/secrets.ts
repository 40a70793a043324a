// A guest with a password of each kind txl hides (VNC, SPICE, a vfb's VNC), for the tests
// that look for them in output.
export const SECRETS = ['S3cretVNC', 'S3cretSPICE', 'S3cretVFB'];
export const SECRET_CFG = `name = "sec"
type = "hvm"
memory = 256
vnc = 1
vncpasswd = "S3cretVNC"
spice = 1
spicepasswd = "S3cretSPICE"
vfb = [ "vnc=1, vncpasswd=S3cretVFB" ]
`;
/** The passwords found in text. */
export const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

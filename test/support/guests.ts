// The PVH guest the simulator tests of resources, monitoring and virsh's information commands
// boot: 512 MiB (up to 1 GiB), 2 vCPUs (up to 4) and one disk, with or without one interface.
// The interface's MAC is fixed so that the tables that show it can be compared whole.

export const PVH_GUEST_NO_NET = `name = "guest"
type = "pvh"
kernel = "/boot/vmlinuz"
memory = 512
maxmem = 1024
vcpus = 2
maxvcpus = 4
disk = [ "vdev=xvda, target=/srv/guest.img" ]
`;

export const PVH_GUEST = `${PVH_GUEST_NO_NET}vif = [ "bridge=xenbr0, mac=00:16:3e:00:00:01" ]
`;

/*
 * Bench-only companion of test/shim/xen-shim.c, preloaded before it: the host queries that
 * `xl -N create` makes beyond what that shim answers (the CPU and NUMA node counts behind the
 * affinity bitmaps xl allocates at start-up, and the node count its vNUMA parser checks).
 * The host is the one the corpus's xl-dryrun outputs were made on: 8 CPUs, 6 NUMA nodes.
 *
 * Built by bench/xl.mjs with: cc -shared -fPIC -o xl-shim.so xl-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <libxl.h>
#include <xenctrl.h>

#define NR_CPUS 8
#define NR_NODES 6

int xc_get_max_cpus(xc_interface *xch) { (void)xch; return NR_CPUS; }
int xc_get_online_cpus(xc_interface *xch) { (void)xch; return NR_CPUS; }
int xc_get_max_nodes(xc_interface *xch) { (void)xch; return NR_NODES; }

/* xen-shim.so's answer, with the corpus host's node count */
int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *p)
{
    int (*next)(libxl_ctx *, libxl_physinfo *) = (int (*)(libxl_ctx *, libxl_physinfo *))dlsym(RTLD_NEXT, "libxl_get_physinfo");
    if (!next) return ERROR_FAIL;
    int rc = next(ctx, p);
    if (!rc) p->nr_nodes = NR_NODES;
    return rc;
}

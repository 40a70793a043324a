/*
 * A test-only LD_PRELOAD shim that lets libxl_ctx_alloc succeed on a machine without Xen:
 * it hands libxl fake hypervisor and xenstore handles and answers the few host queries
 * (version, physinfo, free memory) from constants. Nothing else works through the fake
 * handles: the shim exists to run libxl's JSON bridge and txl's connect path anywhere.
 *
 * Knobs (environment):
 *   TXL_SHIM_PRIVCMD=ENOENT|EACCES  xc_interface_open fails with that errno, as on a host
 *                                    without Xen or as a non-root user on Xen
 *   TXL_SHIM_XENSTORE=down          xs_open fails, as when xenstored is not running
 *
 * Built by the tests with: cc -shared -fPIC -o xen-shim.so xen-shim.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <libxl.h>
#include <xenctrl.h>
#include <xenstore.h>

static int fail_errno(const char *var)
{
    const char *v = getenv(var);
    if (!v || !*v) return 0;
    if (!strcmp(v, "EACCES")) return EACCES;
    if (!strcmp(v, "EPERM")) return EPERM;
    if (!strcmp(v, "ENOENT")) return ENOENT;
    if (!strcmp(v, "down")) return ENOENT;
    return EIO;
}

/* Opaque to libxl: it only passes these pointers back to the functions below. */
static char fake_xc[64];
static char fake_xs[64];

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger, unsigned open_flags)
{
    (void)dombuild_logger; (void)open_flags;
    int e = fail_errno("TXL_SHIM_PRIVCMD");
    if (e) {
        /* the line the real xencall prints, so that txl sees what it would see on a host */
        if (logger)
            xtl_log(logger, XTL_ERROR, e, "xencall", "Could not obtain handle on privileged command interface");
        errno = e;
        return NULL;
    }
    return (xc_interface *)fake_xc;
}

int xc_interface_close(xc_interface *xch)
{
    (void)xch;
    return 0;
}

static struct xs_handle *fake_xs_open(void)
{
    int e = fail_errno("TXL_SHIM_XENSTORE");
    if (e) { errno = e; return NULL; }
    return (struct xs_handle *)fake_xs;
}

struct xs_handle *xs_open(unsigned long flags) { (void)flags; return fake_xs_open(); }
struct xs_handle *xs_daemon_open(void) { return fake_xs_open(); }
struct xs_handle *xs_daemon_open_readonly(void) { return fake_xs_open(); }
void xs_close(struct xs_handle *xsh) { (void)xsh; }
void xs_daemon_close(struct xs_handle *xsh) { (void)xsh; }

static libxl_version_info version = {
    .xen_version_major = 4,
    .xen_version_minor = 17,
    .xen_version_extra = ".7-shim",
    .compiler = "gcc (shim)",
    .compile_by = "txl-test",
    .compile_domain = "example.org",
    .compile_date = "Thu Jan  1 00:00:00 UTC 1970",
    .capabilities = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
    .changeset = "",
    .virt_start = 0xffff800000000000ULL,
    .pagesize = 4096,
    .commandline = "placeholder",
    .build_id = "",
};

const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    (void)ctx;
    return &version;
}

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *p)
{
    (void)ctx;
    p->threads_per_core = 2;
    p->cores_per_socket = 4;
    p->max_cpu_id = 7;
    p->nr_cpus = 8;
    p->cpu_khz = 2400000;
    p->total_pages = (16ULL << 30) / 4096;
    p->free_pages = (12ULL << 30) / 4096;
    p->nr_nodes = 1;
    p->cap_hvm = true;
    p->cap_pv = true;
    p->cap_hap = true;
    p->cap_gnttab_v1 = true;
    return 0;
}

int libxl_get_free_memory(libxl_ctx *ctx, uint64_t *memkb)
{
    (void)ctx;
    *memkb = 12ULL << 20;
    return 0;
}

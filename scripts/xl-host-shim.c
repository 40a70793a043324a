/*
 * What `xl -N create` asks of the host beyond test/shim/xen-shim.c (which makes
 * libxl_ctx_alloc succeed without Xen): CPU and NUMA counts and topology, answered from
 * constants so that xl runs on any machine. Preloaded before xen-shim.so (so that its
 * physinfo, with 6 nodes, wins) by scripts/record-xl420.mjs, compiled against the headers
 * of the xl it runs with (4.17, 4.20).
 * The fake host: 8 CPUs (2 threads x 4 cores), 6 NUMA nodes of 16 GiB in all, the
 * corpus's host (../shared/corpus/MANIFEST.md).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <stdint.h>
#include <libxl.h>

#define CPUS 8
#define NODES 6

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *p)
{
    (void)ctx;
    p->threads_per_core = 2;
    p->cores_per_socket = 4;
    p->max_cpu_id = CPUS - 1;
    p->nr_cpus = CPUS;
    p->cpu_khz = 2400000;
    p->total_pages = (16ULL << 30) / 4096;
    p->free_pages = (12ULL << 30) / 4096;
    p->nr_nodes = NODES;
    p->cap_hvm = true;
    p->cap_pv = true;
    p->cap_hap = true;
    p->cap_gnttab_v1 = true;
    return 0;
}

int libxl_get_max_cpus(libxl_ctx *ctx) { (void)ctx; return CPUS; }
int libxl_get_online_cpus(libxl_ctx *ctx) { (void)ctx; return CPUS; }
int libxl_get_max_nodes(libxl_ctx *ctx) { (void)ctx; return NODES; }

libxl_cputopology *libxl_get_cpu_topology(libxl_ctx *ctx, int *nb_cpu_out)
{
    (void)ctx;
    libxl_cputopology *t = calloc(CPUS, sizeof(*t));
    if (!t) return NULL;
    for (int i = 0; i < CPUS; i++) {
        libxl_cputopology_init(&t[i]);
        t[i].core = i / 2;
        t[i].socket = 0;
        t[i].node = (i / 2) % NODES;
    }
    *nb_cpu_out = CPUS;
    return t;
}

libxl_numainfo *libxl_get_numainfo(libxl_ctx *ctx, int *nr)
{
    (void)ctx;
    libxl_numainfo *n = calloc(NODES, sizeof(*n));
    if (!n) return NULL;
    for (int i = 0; i < NODES; i++) {
        libxl_numainfo_init(&n[i]);
        n[i].size = (16ULL << 30) / NODES;
        n[i].free = n[i].size / 2;
        n[i].dists = calloc(NODES, sizeof(uint32_t));
        n[i].num_dists = NODES;
        for (int j = 0; j < NODES; j++) n[i].dists[j] = i == j ? 10 : 20;
    }
    *nr = NODES;
    return n;
}

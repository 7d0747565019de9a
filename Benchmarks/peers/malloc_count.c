// LD_PRELOAD shim for `Benchmarks --models`: counts malloc, calloc, realloc, memalign, aligned_alloc
// and posix_memalign calls (forwarding to glibc's __libc_* versions) and exports cellforge_malloc_count(),
// which the benchmark reads through dlsym to print allocations per training step and per streamed sample.
//   gcc -O2 -shared -fPIC -o /tmp/libmalloc_count.so Benchmarks/peers/malloc_count.c
//   LD_PRELOAD=/tmp/libmalloc_count.so .build/release/Benchmarks --models
#define _GNU_SOURCE
#include <stddef.h>
#include <stdatomic.h>
#include <errno.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
static atomic_long counter;
long cellforge_malloc_count(void) { return atomic_load(&counter); }
void *malloc(size_t n) { atomic_fetch_add(&counter, 1); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { atomic_fetch_add(&counter, 1); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { atomic_fetch_add(&counter, 1); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { atomic_fetch_add(&counter, 1); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { atomic_fetch_add(&counter, 1); return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) {
    atomic_fetch_add(&counter, 1);
    void *r = __libc_memalign(a, n);
    if (!r) return ENOMEM;
    *p = r;
    return 0;
}

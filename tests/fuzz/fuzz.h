/*
 * What the fuzz targets share: the libFuzzer entry point every target
 * defines. A target is built two ways: with clang's libFuzzer
 * (-DCM_FUZZ=ON, tests/fuzz/run.sh) and, with any compiler, against
 * replay.c, a small main that feeds it the files of the seed and regression
 * corpora so that ctest (label fuzz-regression) replays them on every build.
 */
#ifndef COHORTMATCH_FUZZ_H
#define COHORTMATCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Writes the input to an in-memory file (memfd) named name and its /proc path
 * to path, so that a reader opens it as it would a file on disk; returns the
 * descriptor, which the caller closes. Aborts when the kernel refuses: the run
 * cannot go on. (CMakeLists.txt defines _GNU_SOURCE for memfd_create.)
 */
static inline int fuzz_memfd(const char *name, const uint8_t *data, size_t size, char path[64])
{
    int fd = memfd_create(name, 0);
    if (fd < 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

#endif

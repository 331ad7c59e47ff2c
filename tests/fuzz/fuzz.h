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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

/*
 * Fuzz target: the Hartwig tables (src/input/purple.c, src/input/linx.c). The first byte
 * picks the format (modulo 4: PURPLE purity, gene copy number, driver catalog, LINX
 * fusions); the rest is the file, written to an in-memory file (memfd) and read through
 * cm_input with that format forced, every alteration and fact touched (ASan checks the
 * slices). A gene table and a catalog made of the same bytes are also linked
 * (cm_input_link()). An error must name the file and a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cohortmatch/input.h"
#include "fuzz.h"

static const cm_input_format formats[] = {CM_INPUT_PURPLE_PURITY, CM_INPUT_PURPLE_GENE_COPY_NUMBER,
                                          CM_INPUT_PURPLE_DRIVERS, CM_INPUT_LINX_FUSIONS};

static unsigned touch(cm_slice s)
{
    unsigned sum = 0;
    for (int i = 0; i < s.len; i++)
        sum += (unsigned char)s.s[i];
    return sum;
}

static cm_input *open_as(const char *path, cm_input_format format)
{
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = format;
    cm_input *input = cm_input_open(path, &options, &err);
    if (!input && (!err.file[0] || !err.message[0]))
        abort();
    return input;
}

static void read_all(cm_input *input)
{
    cm_error err;
    cm_error_clear(&err);
    const cm_alteration *batch;
    size_t n;
    int got;
    volatile unsigned sum = 0;
    while ((got = cm_input_next(input, &batch, &n, &err)) == 1)
        for (size_t i = 0; i < n; i++)
            sum += touch(batch[i].gene) + touch(batch[i].partner) + touch(batch[i].transcript) +
                   touch(batch[i].chrom) + touch(batch[i].messages);
    if (got < 0 && !err.message[0])
        abort();
    size_t n_facts;
    const cm_input_fact *facts = cm_input_facts(input, &n_facts);
    for (size_t i = 0; i < n_facts; i++)
        sum += (unsigned)strlen(facts[i].value) + (unsigned)strlen(facts[i].where);
    (void)cm_input_get_stats(input);
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    cm_input_format format = formats[data[0] % 4];
    char path[64];
    int fd = fuzz_memfd("fuzz.tsv", data + 1, size - 1, path);
    cm_input *input = open_as(path, format);
    if (input) {
        read_all(input);
        cm_input_close(input);
    }
    if (format == CM_INPUT_PURPLE_GENE_COPY_NUMBER) {
        cm_input *pair[2] = {open_as(path, CM_INPUT_PURPLE_GENE_COPY_NUMBER),
                             open_as(path, CM_INPUT_PURPLE_DRIVERS)};
        if (pair[0] && pair[1]) {
            cm_error err;
            if (cm_input_link(pair, 2, &err) != 0)
                abort();
            read_all(pair[0]);
            read_all(pair[1]);
        }
        cm_input_close(pair[0]);
        cm_input_close(pair[1]);
    }
    close(fd);
    return 0;
}

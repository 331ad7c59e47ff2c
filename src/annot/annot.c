/*
 * The annotation front door: tells annotators apart from their header line,
 * creates the parser for one INFO tag and dispatches each record to it, and
 * holds what every parser shares (reused output buffers, the
 * preferred-transcript marking, URL decoding). It never reads a VCF itself
 * and never allocates per record once its buffers have grown.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

// Preferred transcripts are chosen per ALT allele x gene: the key is a slice of the
// record's annotation text plus the allele, so that no key is ever copied.
typedef struct group_key {
    const char *s;
    int len;
    int allele;
} group_key;

static inline khint_t group_key_hash(group_key key)
{
    khint_t h = (khint_t)key.allele * 2654435761u;
    for (int i = 0; i < key.len; i++)
        h = (h << 5) - h + (khint_t)(unsigned char)key.s[i];
    return h;
}

static inline int group_key_equal(group_key a, group_key b)
{
    return a.allele == b.allele && a.len == b.len && memcmp(a.s, b.s, (size_t)a.len) == 0;
}

KHASH_INIT(preferred, group_key, int, 1, group_key_hash, group_key_equal)

struct cm_preferred_index {
    khash_t(preferred) * best; // group -> highest preference level among its entries
};

cm_annotation_kind cm_annotation_detect(const char *tag, const char *description)
{
    if (!tag || !description)
        return CM_ANNOTATION_NONE;
    if (strstr(description, "BCFtools/csq") || strcmp(tag, "BCSQ") == 0)
        return CM_ANNOTATION_BCSQ;
    // PAVE: "Variant Impact [Gene, Transcript, CanonicalEffect, CanonicalCodingEffect, ...]".
    if (strcmp(tag, "IMPACT") == 0 && strstr(description, "CanonicalEffect"))
        return CM_ANNOTATION_PAVE;
    if (strstr(description, "Functional annotations:"))
        return CM_ANNOTATION_SNPEFF;
    // VEP writes "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|...";
    // any tag whose format list names Allele is VEP's (it may be written under ANN).
    const char *format = strstr(description, "Format:");
    if (format && strstr(format, "Allele"))
        return CM_ANNOTATION_VEP;
    return CM_ANNOTATION_NONE;
}

const char *cm_annotation_kind_name(cm_annotation_kind kind)
{
    switch (kind) {
    case CM_ANNOTATION_VEP:
        return "VEP";
    case CM_ANNOTATION_SNPEFF:
        return "SnpEff";
    case CM_ANNOTATION_BCSQ:
        return "bcftools csq";
    case CM_ANNOTATION_PAVE:
        return "PAVE";
    case CM_ANNOTATION_NONE:
        break;
    }
    return "none";
}

int cm_annotation_kind_parse(const char *text, cm_annotation_kind *kind)
{
    if (strcmp(text, "csq") == 0)
        *kind = CM_ANNOTATION_VEP;
    else if (strcmp(text, "ann") == 0)
        *kind = CM_ANNOTATION_SNPEFF;
    else if (strcmp(text, "bcsq") == 0)
        *kind = CM_ANNOTATION_BCSQ;
    else if (strcmp(text, "pave") == 0)
        *kind = CM_ANNOTATION_PAVE;
    else
        return -1;
    return 0;
}

int cm_annotation_is_supported(cm_annotation_kind kind)
{
    return kind == CM_ANNOTATION_VEP || kind == CM_ANNOTATION_SNPEFF ||
           kind == CM_ANNOTATION_BCSQ || kind == CM_ANNOTATION_PAVE;
}

cm_annotation_parser *cm_annotation_parser_new(cm_annotation_kind kind, const char *tag,
                                               const char *description, const char *file,
                                               cm_error *err)
{
    if (!cm_annotation_is_supported(kind)) {
        cm_error_set(err, file, 0, 0, "INFO/%s: %s annotation is not supported yet", tag,
                     cm_annotation_kind_name(kind));
        return NULL;
    }
    cm_annotation_parser *parser = calloc(1, sizeof *parser);
    if (!parser || !(parser->tag = strdup(tag)) ||
        !(parser->preferred = calloc(1, sizeof *parser->preferred)) ||
        !(parser->preferred->best = kh_init(preferred))) {
        cm_annotation_parser_free(parser);
        cm_error_set(err, file, 0, 0, "out of memory");
        return NULL;
    }
    parser->kind = kind;
    // Everything after "Format:" is the field list; a closing quote may follow. SnpEff
    // writes "Functional annotations: 'Allele | Annotation | ... ' " instead.
    const char *list = strstr(description, "Format:");
    if (kind == CM_ANNOTATION_SNPEFF) {
        const char *quote = strchr(description, '\'');
        const char *colon = strstr(description, "annotations:");
        list = quote ? quote + 1 : colon ? colon + strlen("annotations:") : description;
    } else {
        list = list ? list + strlen("Format:") : description;
    }
    size_t len = strlen(list);
    while (len > 0 && (list[len - 1] == '"' || list[len - 1] == ' '))
        len--;
    if (cm_annotation_split_fields(parser, list, len) != 0) {
        cm_annotation_parser_free(parser);
        cm_error_set(err, file, 0, 0, "out of memory");
        return NULL;
    }
    // One init/parse/free trio per annotator: ann.c (SnpEff) and bcsq.c (bcftools csq) add
    // theirs beside csq.c's and a case to each switch.
    int ret = -1;
    switch (kind) {
    case CM_ANNOTATION_VEP:
        ret = cm_csq_init(parser, file, err);
        break;
    case CM_ANNOTATION_SNPEFF:
        ret = cm_ann_init(parser, file, err);
        break;
    case CM_ANNOTATION_BCSQ:
        ret = cm_bcsq_init(parser, file, err);
        break;
    case CM_ANNOTATION_PAVE:
        ret = cm_pave_init(parser, file, err);
        break;
    case CM_ANNOTATION_NONE:
        break;
    }
    if (ret != 0) {
        cm_annotation_parser_free(parser);
        return NULL;
    }
    return parser;
}

void cm_annotation_parser_free(cm_annotation_parser *parser)
{
    if (!parser)
        return;
    if (parser->impl && parser->kind == CM_ANNOTATION_VEP)
        cm_csq_free(parser);
    if (parser->impl && parser->kind == CM_ANNOTATION_SNPEFF)
        cm_ann_free(parser);
    if (parser->impl && parser->kind == CM_ANNOTATION_BCSQ)
        cm_bcsq_free(parser);
    if (parser->preferred) {
        if (parser->preferred->best)
            kh_destroy(preferred, parser->preferred->best);
        free(parser->preferred);
    }
    free(parser->tag);
    free(parser->field_text);
    free(parser->field_names);
    free(parser->entries);
    free(parser->group_keys);
    free(parser->ordinals);
    free(parser->fields);
    free(parser->vep_alleles);
    free(parser);
}

int cm_annotation_entry_ordinal(const cm_annotation_parser *parser, size_t i)
{
    return i < parser->n_entries ? parser->ordinals[i] : -1;
}

const char *cm_annotation_parser_tag(const cm_annotation_parser *parser)
{
    return parser->tag;
}

cm_annotation_kind cm_annotation_parser_kind(const cm_annotation_parser *parser)
{
    return parser->kind;
}

void cm_annotation_parser_set_release(cm_annotation_parser *parser, int release)
{
    parser->release = release;
}

int cm_annotation_parser_n_fields(const cm_annotation_parser *parser)
{
    return parser->n_fields;
}

const char *cm_annotation_parser_field_name(const cm_annotation_parser *parser, int i)
{
    return i >= 0 && i < parser->n_fields ? parser->field_names[i] : NULL;
}

int cm_annotation_parser_field_index(const cm_annotation_parser *parser, const char *name)
{
    for (int i = 0; i < parser->n_fields; i++)
        if (strcmp(parser->field_names[i], name) == 0)
            return i;
    return -1;
}

int cm_annotation_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                        int n_alleles, const uint8_t *is_skipped, const cm_alteration **entries,
                        size_t *n_entries, cm_annotation_counts *counts, cm_error *err)
{
    parser->n_entries = 0;
    *entries = NULL;
    *n_entries = 0;
    int ret = -1;
    switch (parser->kind) {
    case CM_ANNOTATION_VEP:
        ret = cm_csq_parse(parser, text, len, alleles, n_alleles, is_skipped, counts, err);
        break;
    case CM_ANNOTATION_SNPEFF:
        ret = cm_ann_parse(parser, text, len, alleles, n_alleles, is_skipped, counts, err);
        break;
    case CM_ANNOTATION_BCSQ:
        ret = cm_bcsq_parse(parser, text, len, alleles, n_alleles, is_skipped, counts, err);
        break;
    case CM_ANNOTATION_PAVE:
        ret = cm_pave_parse(parser, text, len, alleles, n_alleles, is_skipped, counts, err);
        break;
    case CM_ANNOTATION_NONE:
        cm_error_set(err, NULL, 0, 0, "%s annotation is not supported yet",
                     cm_annotation_kind_name(parser->kind));
        break;
    }
    if (ret != 0)
        return -1;
    if (cm_annotation_mark_preferred(parser) != 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    *entries = parser->entries;
    *n_entries = parser->n_entries;
    return 0;
}

int cm_annotation_split_fields(cm_annotation_parser *parser, const char *list, size_t len)
{
    parser->field_text = malloc(len + 1);
    if (!parser->field_text)
        return -1;
    memcpy(parser->field_text, list, len);
    parser->field_text[len] = '\0';
    int n = 1;
    for (size_t i = 0; i < len; i++)
        n += list[i] == '|';
    parser->field_names = malloc((size_t)n * sizeof *parser->field_names);
    parser->fields = malloc((size_t)n * sizeof *parser->fields);
    if (!parser->field_names || !parser->fields)
        return -1;
    char *p = parser->field_text;
    for (int i = 0; i < n; i++) {
        char *end = strchr(p, '|');
        if (end)
            *end = '\0';
        // SnpEff writes "'Allele | Annotation | ...'": trim spaces and quotes.
        while (*p == ' ' || *p == '\'')
            p++;
        size_t l = strlen(p);
        while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\''))
            p[--l] = '\0';
        parser->field_names[i] = p;
        p = end ? end + 1 : p + l;
    }
    parser->n_fields = n;
    return 0;
}

cm_alteration *cm_annotation_push_entry(cm_annotation_parser *parser, cm_slice **key)
{
    if (parser->n_entries == parser->capacity) {
        size_t capacity = parser->capacity ? parser->capacity * 2 : 64;
        cm_alteration *entries = realloc(parser->entries, capacity * sizeof *entries);
        if (!entries)
            return NULL;
        parser->entries = entries;
        cm_slice *keys = realloc(parser->group_keys, capacity * sizeof *keys);
        if (!keys)
            return NULL;
        parser->group_keys = keys;
        int *ordinals = realloc(parser->ordinals, capacity * sizeof *ordinals);
        if (!ordinals)
            return NULL;
        parser->ordinals = ordinals;
        parser->capacity = capacity;
    }
    cm_alteration *entry = &parser->entries[parser->n_entries];
    *key = &parser->group_keys[parser->n_entries];
    (*key)->s = NULL;
    (*key)->len = 0;
    parser->ordinals[parser->n_entries] = -1;
    parser->n_entries++;
    cm_alteration_init(entry);
    return entry;
}

int cm_annotation_reserve_alleles(cm_annotation_parser *parser, int n)
{
    if (n <= parser->alleles_capacity)
        return 0;
    int capacity = n < 8 ? 8 : n * 2;
    cm_slice *alleles = realloc(parser->vep_alleles, (size_t)capacity * sizeof *alleles);
    if (!alleles)
        return -1;
    parser->vep_alleles = alleles;
    parser->alleles_capacity = capacity;
    return 0;
}

static int preference_level(unsigned flags)
{
    if (flags & CM_TRANSCRIPT_MANE_SELECT)
        return 3;
    if (flags & CM_TRANSCRIPT_CANONICAL)
        return 2;
    if (flags & CM_TRANSCRIPT_PICK)
        return 1;
    return 0;
}

int cm_annotation_mark_preferred(cm_annotation_parser *parser)
{
    khash_t(preferred) *best = parser->preferred->best;
    kh_clear(preferred, best);
    // First pass: the best level of each group; second: an entry is preferred when it
    // reaches its group's best (level 0 everywhere means every entry is preferred).
    for (size_t i = 0; i < parser->n_entries; i++) {
        const cm_slice *key = &parser->group_keys[i];
        if (key->len == 0)
            continue;
        group_key k = {key->s, key->len, parser->entries[i].allele};
        int absent;
        khint_t it = kh_put(preferred, best, k, &absent);
        if (absent < 0)
            return -1;
        int level = preference_level(parser->entries[i].transcript_flags);
        if (absent || kh_val(best, it) < level)
            kh_val(best, it) = level;
    }
    for (size_t i = 0; i < parser->n_entries; i++) {
        const cm_slice *key = &parser->group_keys[i];
        cm_alteration *entry = &parser->entries[i];
        if (key->len == 0) {
            entry->is_preferred = 1;
            continue;
        }
        group_key k = {key->s, key->len, entry->allele};
        khint_t it = kh_get(preferred, best, k);
        entry->is_preferred = preference_level(entry->transcript_flags) == kh_val(best, it);
    }
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cm_annotation_url_decode(char *text, int len)
{
    int out = 0;
    for (int i = 0; i < len; i++) {
        int high, low;
        if (text[i] == '%' && i + 2 < len && (high = hex_value(text[i + 1])) >= 0 &&
            (low = hex_value(text[i + 2])) >= 0) {
            text[out++] = (char)(high * 16 + low);
            i += 2;
        } else {
            text[out++] = text[i];
        }
    }
    return out;
}

long cm_annotation_parse_count(const char *text, int len)
{
    if (len <= 0 || len > 9)
        return -1;
    long value = 0;
    for (int i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

int cm_annotation_every_alt_skipped(const uint8_t *is_skipped, int n_alleles)
{
    for (int i = 1; i < n_alleles; i++)
        if (!is_skipped || !is_skipped[i])
            return 0;
    return 1;
}

int cm_annotation_split_entry(cm_annotation_parser *parser, char *entry, int len)
{
    int n = 0;
    char *start = entry, *end = entry + len;
    for (char *p = entry;; p++) {
        if (p == end || *p == '|') {
            if (n < parser->n_fields) {
                parser->fields[n].s = start;
                parser->fields[n].len = (int)(p - start);
            }
            n++;
            if (p == end)
                break;
            start = p + 1;
        }
    }
    for (int i = n; i < parser->n_fields; i++) {
        parser->fields[i].s = NULL;
        parser->fields[i].len = 0;
    }
    return n;
}

void cm_annotation_entries_init(cm_annotation_entries *entries, char *text, size_t len)
{
    entries->next = text;
    entries->end = text + len;
    entries->number = 0;
}

int cm_annotation_entries_next(cm_annotation_entries *entries, char **entry, int *len)
{
    if (!entries->next)
        return 0;
    char *start = entries->next;
    char *comma = memchr(start, ',', (size_t)(entries->end - start));
    char *stop = comma ? comma : entries->end;
    entries->next = comma ? comma + 1 : NULL;
    entries->number++;
    *entry = start;
    *len = (int)(stop - start);
    return 1;
}

int cm_annotation_read_entry(cm_annotation_parser *parser, char *entry, int len, int number,
                             int exact, cm_error *err)
{
    int n = cm_annotation_split_entry(parser, entry, len);
    if (n == 1 && parser->fields[0].len == 0 && parser->n_fields > 1)
        return 0;
    if (n > parser->n_fields || (exact && n != parser->n_fields))
        return cm_error_set(err, NULL, 0, 0,
                            "INFO/%s entry %d has %d fields, the header declares %d", parser->tag,
                            number, n, parser->n_fields);
    return n;
}

cm_slice cm_annotation_field(const cm_annotation_parser *parser, int index)
{
    cm_slice empty = {NULL, 0};
    return index >= 0 && index < parser->n_fields ? parser->fields[index] : empty;
}

void cm_annotation_parse_rank(cm_slice slice, int *number, int *count)
{
    *number = *count = 0;
    int i = 0, value = 0, digits = 0;
    while (i < slice.len && slice.s[i] >= '0' && slice.s[i] <= '9' && digits < 9) {
        value = value * 10 + (slice.s[i++] - '0');
        digits++;
    }
    if (digits == 0)
        return;
    while (i < slice.len && slice.s[i] != '/')
        i++;
    if (i == slice.len)
        return;
    long total = cm_annotation_parse_count(slice.s + i + 1, slice.len - i - 1);
    if (total <= 0)
        return;
    *number = value;
    *count = (int)total;
}

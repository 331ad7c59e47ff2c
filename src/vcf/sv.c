/*
 * Copy-number and breakend records (see sv.h). It owns the gene BED given
 * with --genes (a sorted array, searched per copy-number record), the table
 * of breakends waiting for their mate, and the text of the events it hands
 * back. It never prints and never reads a sample column except FORMAT/CN.
 *
 * Which genes a copy-number record changes, in order: INFO/GENE or
 * INFO/GENES (the caller's own statement), else the annotation's genes for
 * that ALT (upstream, downstream and intergenic entries left out: they name
 * neighbours), else the genes of the BED that overlap POS..END.
 *
 * Which genes a breakend pair fuses, in order: the INFO keys of a fusion
 * caller (--fusion-genes-tags, default GENEA,GENEB: 5' gene, 3' gene), or an
 * annotated fusion (SnpEff gene_fusion / bidirectional_gene_fusion
 * "GENE1&GENE2"), on either mate; else every pair of different genes that
 * the annotation places at the two mates. A record-level caller that writes
 * both genes on one breakend without MATEID gives its fusion at once.
 *
 * Allocation: waiting breakends are copied (a breakend is rare; a record
 * that is not structural never reaches this file); everything else is
 * reused from record to record.
 */
#include "sv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

typedef struct gene_region {
    size_t chrom, name; // offsets into region_text
    int64_t start, end; // 0-based, half-open
    int strand;         // 1 '+', -1 '-', 0 unknown (BED column 6)
} gene_region;

typedef struct waiting_breakend {
    char *mate_key;
    char *id;   // for messages
    long where; // line (text VCF) of the record
    int has_mateid;
    int is_emitted;   // its fusion was given already: the mate adds nothing
    int keeps_left;   // the join keeps the bases left of the breakend (t[p[, t]p])
    int is_looked_up; // an annotation or the gene BED looked at its position (no gene there
                      // means intergenic, not unknown)
    kstring_t genes;  // strand ('+', '-', '?') then name, NUL-terminated, one after the other
    kstring_t pairs;  // "gene\tpartner\tfive_prime\n" lines
} waiting_breakend;

KHASH_MAP_INIT_STR(waiting, waiting_breakend *)

typedef struct pending_event {
    cm_alteration_kind kind;
    int allele;
    size_t gene, gene_len, partner, partner_len;
    int is_five_prime;
    int gene_side;       // see cm_sv_event
    int exon, exon_last; // an exon deletion (CM_ALTERATION_SMALL; partner: its transcript)
} pending_event;

struct cm_sv_reader {
    char *tag_five, *tag_three;
    gene_region *regions;
    size_t n_regions;
    kstring_t region_text;
    khash_t(waiting) * waiting;
    // Reused per record.
    kstring_t text;  // names of this record's events
    kstring_t genes; // scratch gene list (NUL-separated)
    kstring_t pairs; // scratch pair lines
    kstring_t key, mate_key;
    pending_event *pending;
    size_t n_pending, m_pending;
    cm_sv_event *events;
    size_t m_events;
    char *info_a, *info_b, *info_gene, *info_mate, *info_simple;
    int info_a_capacity, info_b_capacity, info_gene_capacity, info_mate_capacity;
    int info_simple_capacity;
    char *info_frame;
    int info_frame_capacity;
    float *values;
    int values_capacity;
    int32_t *ints;
    int ints_capacity;
};

cm_sv_kind cm_sv_classify(const char *alt)
{
    if (strchr(alt, '[') || strchr(alt, ']'))
        return CM_SV_BREAKEND;
    if (alt[0] != '<')
        return CM_SV_NONE;
    if (strncmp(alt, "<DEL", 4) == 0 || strncmp(alt, "<DUP", 4) == 0 ||
        strncmp(alt, "<CNV", 4) == 0 || strncmp(alt, "<CN", 3) == 0)
        return strcmp(alt, "<NON_REF>") == 0 ? CM_SV_NONE : CM_SV_COPY_NUMBER;
    if (strcmp(alt, "<*>") == 0 || strcmp(alt, "<NON_REF>") == 0)
        return CM_SV_NONE;
    return CM_SV_OTHER;
}

/* ---- Gene BED ---- */

static const char *region_base;

static int compare_regions(const void *a, const void *b)
{
    const gene_region *x = a, *y = b;
    int c = strcmp(region_base + x->chrom, region_base + y->chrom);
    if (c)
        return c;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int parse_position(const char *text, int64_t *out)
{
    if (!*text)
        return -1;
    int64_t value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9' || value > INT64_MAX / 10 - 10)
            return -1;
        value = value * 10 + (*p - '0');
    }
    *out = value;
    return 0;
}

static int load_bed(cm_sv_reader *sv, const char *path, cm_error *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cm_error_set(err, path, 0, 0, "cannot open the gene BED: %s", strerror(errno));
    kstring_t line = {0, 0, NULL};
    size_t capacity = 0;
    int line_number = 0, ret = 0;
    while (1) {
        line.l = 0;
        if (kgetline(&line, (kgets_func *)fgets, fp) < 0)
            break;
        line_number++;
        if (line.l > 0 && line.s[line.l - 1] == '\r')
            line.s[--line.l] = '\0';
        if (line.l == 0 || line.s[0] == '#' || strncmp(line.s, "track", 5) == 0 ||
            strncmp(line.s, "browser", 7) == 0)
            continue;
        char *fields[6] = {0};
        int n = 0;
        char *p = line.s;
        while (n < 6 && p) {
            fields[n++] = p;
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = '\0';
            p = tab ? tab + 1 : NULL;
        }
        if (n < 4 || !*fields[0] || !*fields[3]) {
            ret = cm_error_set(err, path, line_number, 0,
                               "a gene BED line needs 4 tab-separated columns: chrom, start, "
                               "end, gene");
            break;
        }
        int64_t start, end;
        if (parse_position(fields[1], &start) != 0 || parse_position(fields[2], &end) != 0 ||
            end < start) {
            ret = cm_error_set(err, path, line_number, 0,
                               "start '%s' and end '%s' are not whole numbers with start <= end",
                               fields[1], fields[2]);
            break;
        }
        if (sv->n_regions == capacity) {
            capacity = capacity ? capacity * 2 : 256;
            gene_region *regions = realloc(sv->regions, capacity * sizeof *regions);
            if (!regions) {
                ret = cm_error_set(err, path, 0, 0, "out of memory");
                break;
            }
            sv->regions = regions;
        }
        gene_region *region = &sv->regions[sv->n_regions++];
        region->chrom = sv->region_text.l;
        kputs(fields[0], &sv->region_text);
        kputc('\0', &sv->region_text);
        region->name = sv->region_text.l;
        kputs(fields[3], &sv->region_text);
        kputc('\0', &sv->region_text);
        region->start = start;
        region->end = end;
        region->strand = n >= 6 && strcmp(fields[5], "+") == 0   ? 1
                         : n >= 6 && strcmp(fields[5], "-") == 0 ? -1
                                                                 : 0;
    }
    free(line.s);
    fclose(fp);
    if (ret == 0 && sv->n_regions > 0) {
        region_base = sv->region_text.s;
        qsort(sv->regions, sv->n_regions, sizeof *sv->regions, compare_regions);
        region_base = NULL;
    }
    return ret;
}

cm_sv_reader *cm_sv_new(const char *fusion_tags, const char *genes_bed, cm_error *err)
{
    cm_sv_reader *sv = calloc(1, sizeof *sv);
    if (!sv || !(sv->waiting = kh_init(waiting))) {
        free(sv);
        cm_error_set(err, NULL, 0, 0, "out of memory");
        return NULL;
    }
    const char *tags = fusion_tags ? fusion_tags : "GENEA,GENEB";
    const char *comma = strchr(tags, ',');
    if (!comma || comma == tags || !comma[1] || strchr(comma + 1, ',')) {
        cm_error_set(err, NULL, 0, 0,
                     "--fusion-genes-tags takes two INFO keys, 5' gene then 3' gene, as "
                     "'GENEA,GENEB', not '%s'",
                     tags);
        cm_sv_free(sv);
        return NULL;
    }
    sv->tag_five = strndup(tags, (size_t)(comma - tags));
    sv->tag_three = strdup(comma + 1);
    if (!sv->tag_five || !sv->tag_three) {
        cm_error_set(err, NULL, 0, 0, "out of memory");
        cm_sv_free(sv);
        return NULL;
    }
    if (genes_bed && load_bed(sv, genes_bed, err) != 0) {
        cm_sv_free(sv);
        return NULL;
    }
    return sv;
}

static void free_waiting(waiting_breakend *w)
{
    if (!w)
        return;
    free(w->mate_key);
    free(w->id);
    free(w->genes.s);
    free(w->pairs.s);
    free(w);
}

void cm_sv_free(cm_sv_reader *sv)
{
    if (!sv)
        return;
    if (sv->waiting) {
        for (khint_t k = kh_begin(sv->waiting); k != kh_end(sv->waiting); k++)
            if (kh_exist(sv->waiting, k)) {
                free((char *)kh_key(sv->waiting, k));
                free_waiting(kh_val(sv->waiting, k));
            }
        kh_destroy(waiting, sv->waiting);
    }
    free(sv->tag_five);
    free(sv->tag_three);
    free(sv->regions);
    free(sv->region_text.s);
    free(sv->text.s);
    free(sv->genes.s);
    free(sv->pairs.s);
    free(sv->key.s);
    free(sv->mate_key.s);
    free(sv->pending);
    free(sv->events);
    free(sv->info_a);
    free(sv->info_b);
    free(sv->info_gene);
    free(sv->info_mate);
    free(sv->info_simple);
    free(sv->info_frame);
    free(sv->values);
    free(sv->ints);
    free(sv);
}

/* ---- Gene lists ---- */

static int list_has(const kstring_t *list, const char *name, size_t len)
{
    for (size_t i = 0; i < list->l;) {
        size_t l = strlen(list->s + i);
        if (l == len && memcmp(list->s + i, name, len) == 0)
            return 1;
        i += l + 1;
    }
    return 0;
}

// Adds the names of text (split on ',', '&', '|' and spaces) to list, once each.
static void add_names(kstring_t *list, const char *text, size_t len)
{
    const char *end = text + len;
    while (text < end) {
        const char *p = text;
        while (p < end && *p != ',' && *p != '&' && *p != '|' && *p != ' ')
            p++;
        size_t l = (size_t)(p - text);
        if (l > 0 && !(l == 1 && text[0] == '.') && !list_has(list, text, l)) {
            kputsn(text, l, list);
            kputc('\0', list);
        }
        text = p + 1;
    }
}

// Adds strand-prefixed names ("+ALK" / "-ALK" / "?ALK") of text (split as add_names does);
// a name seen twice with different strands gets '?'.
static void add_stranded_names(kstring_t *list, const char *text, size_t len, int strand)
{
    const char mark = strand > 0 ? '+' : strand < 0 ? '-' : '?';
    const char *end = text + len;
    while (text < end) {
        const char *p = text;
        while (p < end && *p != ',' && *p != '&' && *p != '|' && *p != ' ')
            p++;
        size_t l = (size_t)(p - text);
        int seen = 0;
        for (size_t i = 0; l > 0 && i < list->l && !seen;) {
            size_t il = strlen(list->s + i);
            if (il == l + 1 && memcmp(list->s + i + 1, text, l) == 0) {
                seen = 1;
                if (list->s[i] != mark)
                    list->s[i] = '?';
            }
            i += il + 1;
        }
        if (l > 0 && !(l == 1 && text[0] == '.') && !seen) {
            kputc(mark, list);
            kputsn(text, l, list);
            kputc('\0', list);
        }
        text = p + 1;
    }
}

// Entries that name a gene the event itself touches (not a neighbour).
static int entry_touches_gene(const cm_alteration *entry)
{
    const cm_consequence neighbour =
        CM_SO_BIT(CM_SO_UPSTREAM_GENE_VARIANT) | CM_SO_BIT(CM_SO_DOWNSTREAM_GENE_VARIANT) |
        CM_SO_BIT(CM_SO_INTERGENIC_VARIANT) | CM_SO_BIT(CM_SO_REGULATORY_REGION_VARIANT) |
        CM_SO_BIT(CM_SO_TF_BINDING_SITE_VARIANT);
    return entry->gene.len > 0 && (entry->consequence & ~neighbour) != 0;
}

static void add_pair(kstring_t *pairs, const char *gene, size_t gene_len, const char *partner,
                     size_t partner_len, int is_five_prime)
{
    kputsn(gene, gene_len, pairs);
    kputc('\t', pairs);
    kputsn(partner, partner_len, pairs);
    kputc('\t', pairs);
    kputw(is_five_prime, pairs);
    kputc('\n', pairs);
}

static int push_event(cm_sv_reader *sv, cm_alteration_kind kind, int allele, const char *gene,
                      size_t gene_len, const char *partner, size_t partner_len, int is_five_prime,
                      int gene_side)
{
    if (sv->n_pending == sv->m_pending) {
        size_t m = sv->m_pending ? sv->m_pending * 2 : 16;
        pending_event *p = realloc(sv->pending, m * sizeof *p);
        if (!p)
            return -1;
        sv->pending = p;
        sv->m_pending = m;
    }
    // A fusion whose 5' side is unknown is written in alphabetical order, so that it reads the
    // same whichever mate came first.
    int is_intergenic = partner && partner_len == 10 && memcmp(partner, "intergenic", 10) == 0;
    if (kind == CM_ALTERATION_FUSION && is_five_prime < 0 && partner && !is_intergenic) {
        size_t n = gene_len < partner_len ? gene_len : partner_len;
        int c = memcmp(gene, partner, n);
        if (c > 0 || (c == 0 && gene_len > partner_len)) {
            const char *t = gene;
            gene = partner;
            partner = t;
            size_t tl = gene_len;
            gene_len = partner_len;
            partner_len = tl;
            if (gene_side >= 0)
                gene_side = !gene_side;
        }
    }
    pending_event *e = &sv->pending[sv->n_pending++];
    e->kind = kind;
    e->allele = allele;
    e->gene = sv->text.l;
    e->gene_len = gene_len;
    kputsn(gene, gene_len, &sv->text);
    e->partner = sv->text.l;
    e->partner_len = partner_len;
    kputsn(partner ? partner : "", partner_len, &sv->text);
    e->is_five_prime = is_five_prime;
    e->gene_side = gene_side;
    e->exon = e->exon_last = 0;
    return 0;
}

// Whether a fusion of the two genes (either order) is pending already.
static int fusion_seen(const cm_sv_reader *sv, const char *a, size_t al, const char *b, size_t bl)
{
    for (size_t i = 0; i < sv->n_pending; i++) {
        const pending_event *e = &sv->pending[i];
        const char *g = sv->text.s + e->gene, *q = sv->text.s + e->partner;
        if (e->kind == CM_ALTERATION_FUSION &&
            ((e->gene_len == al && e->partner_len == bl && !memcmp(g, a, al) &&
              !memcmp(q, b, bl)) ||
             (e->gene_len == bl && e->partner_len == al && !memcmp(g, b, bl) && !memcmp(q, a, al))))
            return 1;
    }
    return 0;
}

// Fusion events from "gene\tpartner\tfive_prime\n" lines.
static int push_pairs(cm_sv_reader *sv, int allele, const char *pairs, size_t len)
{
    // An empty kstring may have no buffer yet: NULL + 0 is undefined (clang's UBSan, issue 7).
    if (len == 0)
        return 0;
    const char *p = pairs, *end = pairs + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *tab1 = memchr(p, '\t', (size_t)(nl - p));
        const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(nl - tab1 - 1)) : NULL;
        if (!tab1 || !tab2)
            return -1;
        int five = tab2[1] == '1' ? 1 : -1;
        // The same pair once, whichever mate or annotation wrote it.
        size_t gl = (size_t)(tab1 - p), ql = (size_t)(tab2 - tab1 - 1);
        if (!fusion_seen(sv, p, gl, tab1 + 1, ql) &&
            push_event(sv, CM_ALTERATION_FUSION, allele, p, (size_t)(tab1 - p), tab1 + 1,
                       (size_t)(tab2 - tab1 - 1), five, -1) != 0)
            return -1;
        p = nl + 1;
    }
    return 0;
}

static int get_info_string(const bcf_hdr_t *hdr, bcf1_t *rec, const char *tag, char **buffer,
                           int *capacity)
{
    int id = bcf_hdr_id2int(hdr, BCF_DT_ID, tag);
    if (id < 0 || !bcf_hdr_idinfo_exists(hdr, BCF_HL_INFO, id) ||
        bcf_hdr_id2type(hdr, BCF_HL_INFO, id) != BCF_HT_STR)
        return -1;
    int n = bcf_get_info_string(hdr, rec, tag, buffer, capacity);
    return n > 0 && strcmp(*buffer, ".") != 0 ? (int)strlen(*buffer) : -1;
}

// Whether a '&'-separated list of SnpEff effect terms (any case) names a gene fusion: 1 for
// gene_fusion or bidirectional_gene_fusion, 2 for the older simple_sv_annotation's FUSION
// (whose genes are always a pair "A-B"), 0 for none.
static int names_fusion(const char *text, size_t len)
{
    const char *end = text + len;
    while (text < end) {
        const char *amp = memchr(text, '&', (size_t)(end - text));
        size_t l = (size_t)((amp ? amp : end) - text);
        if (l == 6 && strncasecmp(text, "fusion", l) == 0)
            return 2;
        if ((l == 11 && strncasecmp(text, "gene_fusion", l) == 0) ||
            (l == 25 && strncasecmp(text, "bidirectional_gene_fusion", l) == 0))
            return 1;
        text = amp ? amp + 1 : end;
    }
    return 0;
}

// Whether an annotation entry of allele names gene (len bytes) as its gene.
static int entries_name(const cm_alteration *entries, size_t n_entries, int allele,
                        const char *gene, size_t len)
{
    for (size_t e = 0; e < n_entries; e++)
        if (entries[e].allele == allele && (size_t)entries[e].gene.len == len &&
            memcmp(entries[e].gene.s, gene, len) == 0)
            return 1;
    return 0;
}

// The '-' at which an old simple_sv_annotation "A-B" pair splits: the only '-', or else the one
// '-' whose two sides are both genes the record's annotation names (symbols contain '-', as
// in RP11-295D22.1 or NKX2-1). NULL when none or several could.
static const char *dash_split(const char *genes, const char *end, const cm_alteration *entries,
                              size_t n_entries, int allele)
{
    const char *only = memchr(genes, '-', (size_t)(end - genes)), *found = NULL;
    if (!only || !memchr(only + 1, '-', (size_t)(end - only - 1)))
        return only;
    int n_found = 0;
    for (const char *d = only; d; d = memchr(d + 1, '-', (size_t)(end - d - 1))) {
        if (entries_name(entries, n_entries, allele, genes, (size_t)(d - genes)) &&
            entries_name(entries, n_entries, allele, d + 1, (size_t)(end - d - 1))) {
            found = d;
            n_found++;
        }
        if (d + 1 >= end)
            break;
    }
    return n_found == 1 ? found : NULL;
}

// One INFO/SIMPLE_ANN entry (simple_sv_annotation.py: "SVTYPE|ANNOTATION|GENE(s)|TRANSCRIPT|
// DETAIL|PRIORITY", ANNOTATION and GENE(s) copied from SnpEff's ANN, which it may replace), as
// pointers into the INFO text.
typedef struct simple_ann {
    const char *annotation, *annotation_end, *genes, *genes_end, *transcript, *transcript_end,
        *detail, *detail_end;
} simple_ann;

// Splits the entry [p, end) into its fields (absent ones empty). Returns 0, or -1 when it has
// no GENE(s) field.
static int split_simple_ann(const char *p, const char *end, simple_ann *e)
{
    const char *field[5] = {NULL}, *field_end[5] = {NULL};
    for (int i = 0; i < 5; i++) {
        if (!p) {
            field[i] = field_end[i] = end;
            continue;
        }
        const char *bar = memchr(p, '|', (size_t)(end - p));
        field[i] = p;
        field_end[i] = bar ? bar : end;
        p = bar ? bar + 1 : NULL;
    }
    if (field[2] == end && field_end[2] == end)
        return -1;
    *e = (simple_ann){field[1], field_end[1], field[2], field_end[2],
                      field[3], field_end[3], field[4], field_end[4]};
    return 0;
}

// The fusion an entry names, if any: when its ANNOTATION has a gene_fusion,
// bidirectional_gene_fusion or (older versions) FUSION term and its GENE(s) names two
// different genes, returns 1 with the pair. Two genes are "A&B"; older versions wrote "A-B"
// (see dash_split()). A single gene, or the same gene twice (ROS1-ROS1: within one gene), is
// no pair; '-' splits only the older FUSION term's genes.
static int simple_ann_pair(const simple_ann *e, const cm_alteration *entries, size_t n_entries,
                           int allele, const char **gene, size_t *gl, const char **partner,
                           size_t *pl)
{
    int fusion = names_fusion(e->annotation, (size_t)(e->annotation_end - e->annotation));
    if (!fusion)
        return 0;
    const char *genes = e->genes, *genes_end = e->genes_end;
    const char *amp = memchr(genes, '&', (size_t)(genes_end - genes));
    if (!amp && fusion == 2 && genes_end > genes)
        amp = dash_split(genes, genes_end, entries, n_entries, allele);
    if (!amp)
        return 0;
    const char *second = amp + 1;
    const char *next = memchr(second, '&', (size_t)(genes_end - second));
    *gene = genes;
    *gl = (size_t)(amp - genes);
    *partner = second;
    *pl = (size_t)((next ? next : genes_end) - second);
    return *gl > 0 && *pl > 0 && !(*gl == *pl && memcmp(genes, second, *gl) == 0);
}

// umccrise's INFO/SIMPLE_ANN: each entry that names a fusion (simple_ann_pair()) adds the pair
// to pairs, orientation unknown.
static void add_simple_ann_pairs(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int allele,
                                 const cm_alteration *entries, size_t n_entries, kstring_t *pairs)
{
    int n = get_info_string(hdr, rec, "SIMPLE_ANN", &sv->info_simple, &sv->info_simple_capacity);
    const char *p = sv->info_simple, *end = n > 0 ? p + n : p;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *entry_end = comma ? comma : end;
        simple_ann e;
        const char *gene, *partner;
        size_t gl, pl;
        if (split_simple_ann(p, entry_end, &e) == 0 &&
            simple_ann_pair(&e, entries, n_entries, allele, &gene, &gl, &partner, &pl))
            add_pair(pairs, gene, gl, partner, pl, -1);
        p = entry_end + 1;
    }
}

// Whether a field is word (ASCII case-insensitive).
static int field_is(const char *s, const char *end, const char *word)
{
    size_t len = strlen(word);
    return (size_t)(end - s) == len && strncasecmp(s, word, len) == 0;
}

// "Exon4-5del", "Exon5del" (simple_sv_annotation.py's EXON_DEL detail): the exons. Returns 1,
// or 0 for another text.
static int read_exon_detail(const char *s, const char *end, int *first, int *last)
{
    if (end - s < 7 || strncasecmp(s, "exon", 4) != 0 || strncasecmp(end - 3, "del", 3) != 0)
        return 0;
    const char *q = s + 4, *stop = end - 3;
    long a = 0, b = 0;
    int digits = 0;
    for (; q < stop && *q >= '0' && *q <= '9' && digits < 6; q++, digits++)
        a = a * 10 + (*q - '0');
    if (digits == 0 || a == 0)
        return 0;
    b = a;
    if (q < stop && *q == '-') {
        b = 0;
        digits = 0;
        for (q++; q < stop && *q >= '0' && *q <= '9' && digits < 6; q++, digits++)
            b = b * 10 + (*q - '0');
        if (digits == 0 || b < a)
            return 0;
    }
    if (q != stop)
        return 0;
    *first = (int)a;
    *last = (int)b;
    return 1;
}

// Whether the record's annotation has an exon_loss_variant entry of allele for gene (then
// SIMPLE_ANN's exon deletion, made from it, is read from the annotation).
static int annotation_loses_exons(const cm_alteration *entries, size_t n_entries, int allele,
                                  const char *gene, size_t len)
{
    for (size_t e = 0; e < n_entries; e++)
        if (entries[e].allele == allele && (size_t)entries[e].gene.len == len &&
            memcmp(entries[e].gene.s, gene, len) == 0 &&
            (entries[e].consequence & CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT)))
            return 1;
    return 0;
}

// The SIMPLE_ANN entries that are no fusion, once per record (on its first structural allele):
// an exon deletion of one gene, AstraZeneca's "DEL|EXON_DEL|BRCA2|NM_000059|Exon10-12del" or
// umccr's "DEL|exon_loss|BRCA2|ENST...&ENST...|key_gene|2" (SnpEff's exon_loss_variant, no exon
// numbers), becomes a small alteration of the gene (consequence exon_loss_variant, the exons
// when given, the transcript when one) unless the record's own annotation has that gene's
// exon loss; every other entry that gives no fusion (one gene's GENE_FUSION, UPSTREAM_ or
// DOWNSTREAM_GENE_VARIANT, LOF, INTRONIC, a gene fused with itself, ...) is counted.
static int simple_ann_exon_losses(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int allele,
                                  const cm_alteration *entries, size_t n_entries,
                                  cm_vcf_stats *stats)
{
    int n = get_info_string(hdr, rec, "SIMPLE_ANN", &sv->info_simple, &sv->info_simple_capacity);
    const char *p = sv->info_simple, *end = n > 0 ? p + n : p;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *entry_end = comma ? comma : end;
        simple_ann e;
        const char *gene, *partner;
        size_t gl, pl;
        int is_pair = split_simple_ann(p, entry_end, &e) == 0 &&
                      simple_ann_pair(&e, entries, n_entries, allele, &gene, &gl, &partner, &pl);
        p = entry_end + 1;
        if (is_pair)
            continue;
        int first = 0, last = 0;
        int is_exon_del = field_is(e.annotation, e.annotation_end, "EXON_DEL") &&
                          read_exon_detail(e.detail, e.detail_end, &first, &last);
        int is_exon_loss = field_is(e.annotation, e.annotation_end, "exon_loss");
        size_t len = (size_t)(e.genes_end - e.genes);
        if (!(is_exon_del || is_exon_loss) || len == 0 || memchr(e.genes, '&', len)) {
            stats->skipped[CM_VCF_SKIP_SIMPLE_ANN_NOT_READ]++;
            continue;
        }
        if (annotation_loses_exons(entries, n_entries, allele, e.genes, len))
            continue;
        // One transcript is named (AstraZeneca); umccr's '&' list names several: none kept.
        size_t tl = (size_t)(e.transcript_end - e.transcript);
        if (memchr(e.transcript, '&', tl))
            tl = 0;
        if (push_event(sv, CM_ALTERATION_SMALL, allele, e.genes, len, e.transcript, tl, -1, -1) !=
            0)
            return -1;
        sv->pending[sv->n_pending - 1].exon = first;
        sv->pending[sv->n_pending - 1].exon_last = last > first ? last : 0;
    }
    return 0;
}

/* ---- Copy number ---- */

// Adds the BED genes that overlap [start, end) (0-based) on chrom; with is_stranded, as
// add_stranded_names() writes them.
static void add_bed_genes(const cm_sv_reader *sv, const char *chrom, int64_t start, int64_t end,
                          int is_stranded, kstring_t *genes)
{
    // The regions are sorted by chromosome, then start: find the chromosome's first region,
    // then walk until a region starts at or after end.
    size_t low = 0, high = sv->n_regions;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (strcmp(sv->region_text.s + sv->regions[mid].chrom, chrom) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    for (size_t i = low; i < sv->n_regions; i++) {
        const gene_region *region = &sv->regions[i];
        if (strcmp(sv->region_text.s + region->chrom, chrom) != 0 || region->start >= end)
            break;
        if (region->end <= start)
            continue;
        const char *name = sv->region_text.s + region->name;
        if (is_stranded)
            add_stranded_names(genes, name, strlen(name), region->strand);
        else
            add_names(genes, name, strlen(name));
    }
}

static int copy_number_events(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int allele,
                              const cm_alteration *entries, size_t n_entries, cm_vcf_stats *stats)
{
    kstring_t *genes = &sv->genes;
    genes->l = 0;
    int n = get_info_string(hdr, rec, "GENE", &sv->info_gene, &sv->info_gene_capacity);
    if (n < 0)
        n = get_info_string(hdr, rec, "GENES", &sv->info_gene, &sv->info_gene_capacity);
    if (n > 0)
        add_names(genes, sv->info_gene, (size_t)n);
    if (genes->l == 0) {
        for (size_t e = 0; e < n_entries; e++) {
            const cm_alteration *entry = &entries[e];
            if (entry->allele != allele || !entry_touches_gene(entry))
                continue;
            add_names(genes, entry->gene.s, (size_t)entry->gene.len);
            if (entry->partner.len)
                add_names(genes, entry->partner.s, (size_t)entry->partner.len);
        }
    }
    if (genes->l == 0)
        add_bed_genes(sv, bcf_seqname_safe(hdr, rec), rec->pos,
                      rec->pos + (rec->rlen > 0 ? rec->rlen : 1), 0, genes);
    if (genes->l == 0) {
        stats->skipped[CM_VCF_SKIP_COPY_NUMBER_NO_GENE]++;
        return 0;
    }
    for (size_t i = 0; i < genes->l;) {
        size_t l = strlen(genes->s + i);
        if (push_event(sv, CM_ALTERATION_COPY_NUMBER, allele, genes->s + i, l, NULL, 0, -1, -1) !=
            0)
            return -1;
        i += l + 1;
    }
    return 0;
}

static int read_float(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int line_type,
                      const char *tag, int column, double *out)
{
    *out = NAN;
    int id = bcf_hdr_id2int(hdr, BCF_DT_ID, tag);
    if (id < 0 || !bcf_hdr_idinfo_exists(hdr, line_type, id))
        return 0;
    int type = (int)bcf_hdr_id2type(hdr, line_type, id);
    int n;
    if (type == BCF_HT_INT) {
        n = line_type == BCF_HL_FMT
                ? bcf_get_format_int32(hdr, rec, tag, &sv->ints, &sv->ints_capacity)
                : bcf_get_info_int32(hdr, rec, tag, &sv->ints, &sv->ints_capacity);
        if (n <= 0)
            return 0;
        int per = line_type == BCF_HL_FMT ? n / bcf_hdr_nsamples(hdr) : n;
        int32_t v = sv->ints[line_type == BCF_HL_FMT ? column * per : 0];
        if (v != bcf_int32_missing && v != bcf_int32_vector_end)
            *out = v;
    } else if (type == BCF_HT_REAL) {
        n = line_type == BCF_HL_FMT
                ? bcf_get_format_float(hdr, rec, tag, &sv->values, &sv->values_capacity)
                : bcf_get_info_float(hdr, rec, tag, &sv->values, &sv->values_capacity);
        if (n <= 0)
            return 0;
        int per = line_type == BCF_HL_FMT ? n / bcf_hdr_nsamples(hdr) : n;
        float v = sv->values[line_type == BCF_HL_FMT ? column * per : 0];
        if (!bcf_float_is_missing(v) && !bcf_float_is_vector_end(v))
            *out = v;
    }
    return 0;
}

int cm_sv_sample_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column,
                             double *copy_number)
{
    *copy_number = NAN;
    int id = bcf_hdr_id2int(hdr, BCF_DT_ID, "CN");
    if (id < 0 || !bcf_hdr_idinfo_exists(hdr, BCF_HL_FMT, id))
        return -1;
    return read_float(sv, hdr, rec, BCF_HL_FMT, "CN", column, copy_number);
}

int cm_sv_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column,
                      double *copy_number, cm_error *err)
{
    double value = NAN;
    const char *source = "FORMAT/CN";
    if (column >= 0)
        read_float(sv, hdr, rec, BCF_HL_FMT, "CN", column, &value);
    if (isnan(value)) {
        source = "INFO/CN";
        read_float(sv, hdr, rec, BCF_HL_INFO, "CN", 0, &value);
    }
    if (!isnan(value) && !(value >= 0 && isfinite(value)))
        return cm_error_set(err, NULL, 0, 0, "%s %g is not a copy number (>= 0)", source, value);
    if (isnan(value)) {
        double fold;
        read_float(sv, hdr, rec, BCF_HL_INFO, "FOLD_CHANGE_LOG", 0, &fold);
        if (!isnan(fold) && fold > -64 && fold < 64) {
            value = 2.0 * pow(2.0, fold);
        } else {
            read_float(sv, hdr, rec, BCF_HL_INFO, "FOLD_CHANGE", 0, &fold);
            if (!isnan(fold) && fold >= 0 && isfinite(fold))
                value = 2.0 * fold;
        }
    }
    *copy_number = value;
    return 0;
}

double cm_sv_breakend_copy_number(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int side)
{
    int id = bcf_hdr_id2int(hdr, BCF_DT_ID, "PURPLE_CN");
    if (side < 0 || id < 0 || !bcf_hdr_idinfo_exists(hdr, BCF_HL_INFO, id) ||
        bcf_hdr_id2type(hdr, BCF_HL_INFO, id) != BCF_HT_REAL)
        return NAN;
    int n = bcf_get_info_float(hdr, rec, "PURPLE_CN", &sv->values, &sv->values_capacity);
    if (n <= side)
        return NAN;
    float v = sv->values[side];
    if (bcf_float_is_missing(v) || bcf_float_is_vector_end(v) || !isfinite(v))
        return NAN;
    return v < 0 ? 0 : v; // PURPLE's fitted copy number can dip just below 0: none left
}

int cm_sv_frame(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec)
{
    int n = get_info_string(hdr, rec, "FRAME_STATUS", &sv->info_frame, &sv->info_frame_capacity);
    if (n <= 0)
        return -1;
    if (strcasecmp(sv->info_frame, "INFRAME") == 0 || strcasecmp(sv->info_frame, "in-frame") == 0)
        return 1;
    if (strcasecmp(sv->info_frame, "FRAMESHIFT") == 0 ||
        strcasecmp(sv->info_frame, "out-of-frame") == 0)
        return 0;
    return -1;
}

int cm_sv_supporting_reads(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int column)
{
    if (column < 0)
        return -1;
    static const char *const tags[] = {"PR", "SR"};
    int total = -1, n_samples = bcf_hdr_nsamples(hdr);
    for (int t = 0; t < 2; t++) {
        int id = bcf_hdr_id2int(hdr, BCF_DT_ID, tags[t]);
        if (id < 0 || !bcf_hdr_idinfo_exists(hdr, BCF_HL_FMT, id) ||
            bcf_hdr_id2type(hdr, BCF_HL_FMT, id) != BCF_HT_INT)
            continue;
        int n = bcf_get_format_int32(hdr, rec, tags[t], &sv->ints, &sv->ints_capacity);
        int per = n > 0 ? n / n_samples : 0;
        if (per < 2)
            continue;
        int32_t alt = sv->ints[column * per + 1];
        if (alt == bcf_int32_missing || alt == bcf_int32_vector_end)
            continue;
        total = (total < 0 ? 0 : total) + alt;
    }
    return total;
}

/* ---- Breakends ---- */

static void lower(kstring_t *s)
{
    for (size_t i = 0; i < s->l; i++)
        s->s[i] = (char)tolower((unsigned char)s->s[i]);
}

// "chr:pos" of the mate from t[p[ / t]p] / ]p]t / [p[t; 0 when found.
static int bracket_mate(const char *alt, kstring_t *key)
{
    const char *open = strpbrk(alt, "[]");
    if (!open)
        return -1;
    const char *close = strchr(open + 1, *open);
    if (!close || close == open + 1)
        return -1;
    key->l = 0;
    kputsn(open + 1, (size_t)(close - open - 1), key);
    lower(key);
    return 0;
}

// Whether the gene at a breakend gives the 5' part of the fused transcript: a forward-strand
// gene keeps its 5' part when the join keeps the bases left of the breakend, a reverse-strand
// gene when it keeps those right of it. 1 yes, 0 no (3'), -1 unknown strand.
static int five_prime_side(char strand, int keeps_left)
{
    if (strand == '+')
        return keeps_left;
    if (strand == '-')
        return !keeps_left;
    return -1;
}

static int breakend_events(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int allele,
                           const cm_alteration *entries, size_t n_entries, long where,
                           cm_vcf_stats *stats, cm_error *err)
{
    kstring_t *genes = &sv->genes, *pairs = &sv->pairs;
    genes->l = pairs->l = 0;
    int na = get_info_string(hdr, rec, sv->tag_five, &sv->info_a, &sv->info_a_capacity);
    int nb = get_info_string(hdr, rec, sv->tag_three, &sv->info_b, &sv->info_b_capacity);
    if (na > 0 && nb > 0) {
        // One gene each (the first of a list).
        size_t la = strcspn(sv->info_a, ",&|"), lb = strcspn(sv->info_b, ",&|");
        add_pair(pairs, sv->info_a, la, sv->info_b, lb, 1);
    }
    int is_looked_up = sv->n_regions > 0;
    for (size_t e = 0; e < n_entries; e++) {
        const cm_alteration *entry = &entries[e];
        if (entry->allele != allele)
            continue;
        is_looked_up = 1;
        if (entry->partner.len > 0 && entry->gene.len > 0)
            add_pair(pairs, entry->gene.s, (size_t)entry->gene.len, entry->partner.s,
                     (size_t)entry->partner.len, -1);
        else if (entry_touches_gene(entry) && !entry->is_mate_breakend)
            add_stranded_names(genes, entry->gene.s, (size_t)entry->gene.len, entry->strand);
    }
    add_simple_ann_pairs(sv, hdr, rec, allele, entries, n_entries, pairs);
    if (genes->l == 0)
        add_bed_genes(sv, bcf_seqname_safe(hdr, rec), rec->pos, rec->pos + 1, 1, genes);
    const char *alt = rec->d.allele[allele];
    int keeps_left = alt[0] != '[' && alt[0] != ']';

    // Keys: MATEID joins by record ID; otherwise the bracket position joins by position.
    int has_mateid =
        get_info_string(hdr, rec, "MATEID", &sv->info_mate, &sv->info_mate_capacity) > 0;
    const char *mateid = sv->info_mate;
    const char *id = rec->d.id && strcmp(rec->d.id, ".") != 0 ? rec->d.id : NULL;
    sv->key.l = sv->mate_key.l = 0;
    if (has_mateid && id) {
        kputs(id, &sv->key);
        kputs(mateid, &sv->mate_key);
    } else {
        has_mateid = 0;
        ksprintf(&sv->key, "%s:%lld", bcf_seqname_safe(hdr, rec), (long long)rec->pos + 1);
        lower(&sv->key);
        if (bracket_mate(rec->d.allele[allele], &sv->mate_key) != 0)
            return cm_error_set(err, NULL, 0, 0, "breakend ALT '%s' has no mate position",
                                rec->d.allele[allele]);
    }

    khint_t k = kh_get(waiting, sv->waiting, sv->mate_key.s);
    if (k != kh_end(sv->waiting)) {
        waiting_breakend *mate = kh_val(sv->waiting, k);
        int ret = 0;
        if (!mate->is_emitted) {
            size_t before = sv->n_pending;
            if (pairs->l || mate->pairs.l) {
                if (push_pairs(sv, allele, pairs->s, pairs->l) != 0 ||
                    push_pairs(sv, allele, mate->pairs.s, mate->pairs.l) != 0)
                    ret = -1;
            } else if ((mate->genes.l == 0) != (genes->l == 0) && mate->is_looked_up &&
                       is_looked_up) {
                // One side in a gene, the other looked up and in none: the gene's partner is
                // "intergenic", the gene 5' or 3' as its own side tells.
                int is_mate = mate->genes.l > 0;
                const kstring_t *side = is_mate ? &mate->genes : genes;
                int side_keeps_left = is_mate ? mate->keeps_left : keeps_left;
                for (size_t i = 0; i < side->l && ret == 0;) {
                    const char *g = side->s + i + 1;
                    size_t gl = strlen(g);
                    ret = push_event(sv, CM_ALTERATION_FUSION, allele, g, gl, "intergenic", 10,
                                     five_prime_side(side->s[i], side_keeps_left), is_mate);
                    i += gl + 2;
                }
            } else {
                for (size_t i = 0; i < mate->genes.l && ret == 0;) {
                    const char *g = mate->genes.s + i + 1;
                    size_t gl = strlen(g);
                    int five_g = five_prime_side(mate->genes.s[i], mate->keeps_left);
                    for (size_t j = 0; j < genes->l && ret == 0;) {
                        const char *h = genes->s + j + 1;
                        size_t hl = strlen(h);
                        int five_h = five_prime_side(genes->s[j], keeps_left);
                        j += hl + 2;
                        // VEP 110-111 may name both sides' genes on each mate: one fusion each.
                        if ((gl == hl && memcmp(g, h, gl) == 0) || fusion_seen(sv, g, gl, h, hl))
                            continue;
                        // The 5' gene from either side; when both sides tell, they must agree
                        // (one 5' part, one 3' part), else the orientation is left unknown.
                        int g_is_five = five_g >= 0 && five_h >= 0
                                            ? (five_g != five_h ? five_g : -1)
                                        : five_g >= 0 ? five_g
                                        : five_h >= 0 ? !five_h
                                                      : -1;
                        // g lies at the mate's breakend (side 1), h at this record's (0).
                        if (g_is_five == 1)
                            ret = push_event(sv, CM_ALTERATION_FUSION, allele, g, gl, h, hl, 1, 1);
                        else if (g_is_five == 0)
                            ret = push_event(sv, CM_ALTERATION_FUSION, allele, h, hl, g, gl, 1, 0);
                        else
                            ret = push_event(sv, CM_ALTERATION_FUSION, allele, g, gl, h, hl, -1, 1);
                    }
                    i += gl + 2;
                }
            }
            if (ret == 0 && sv->n_pending == before)
                stats->skipped[CM_VCF_SKIP_BREAKEND_NO_GENE]++;
        }
        free((char *)kh_key(sv->waiting, k));
        free_waiting(mate);
        kh_del(waiting, sv->waiting, k);
        return ret == 0 ? 0 : cm_error_set(err, NULL, 0, 0, "out of memory");
    }

    // The first mate: wait for the other, unless the fusion is already known and no MATEID
    // promises a mate.
    int is_emitted = 0;
    if (!has_mateid && pairs->l) {
        if (push_pairs(sv, allele, pairs->s, pairs->l) != 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        is_emitted = 1;
    }
    waiting_breakend *w = calloc(1, sizeof *w);
    char *key = strdup(sv->key.s);
    if (!w || !key || !(w->mate_key = strdup(sv->mate_key.s)) ||
        !(w->id = strdup(id ? id : sv->key.s))) {
        free(key);
        free_waiting(w);
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    w->where = where;
    w->has_mateid = has_mateid;
    w->is_emitted = is_emitted;
    w->keeps_left = keeps_left;
    w->is_looked_up = is_looked_up;
    if (genes->l)
        kputsn(genes->s, genes->l, &w->genes);
    if (pairs->l)
        kputsn(pairs->s, pairs->l, &w->pairs);
    int absent;
    k = kh_put(waiting, sv->waiting, key, &absent);
    if (absent < 0) {
        free(key);
        free_waiting(w);
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    if (!absent) { // the same key twice: the later record waits instead
        free(key);
        free_waiting(kh_val(sv->waiting, k));
    }
    kh_val(sv->waiting, k) = w;
    return 0;
}

// sv->pairs = the gene fusions the annotation names for allele: SnpEff gene_fusion entries,
// then umccrise's SIMPLE_ANN (the same pair from both is one fusion: push_pairs()).
static void annotated_pairs(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, int allele,
                            const cm_alteration *entries, size_t n_entries)
{
    sv->pairs.l = 0;
    for (size_t e = 0; e < n_entries; e++)
        if (entries[e].allele == allele && entries[e].partner.len && entries[e].gene.len)
            add_pair(&sv->pairs, entries[e].gene.s, (size_t)entries[e].gene.len,
                     entries[e].partner.s, (size_t)entries[e].partner.len, -1);
    add_simple_ann_pairs(sv, hdr, rec, allele, entries, n_entries, &sv->pairs);
}

int cm_sv_record(cm_sv_reader *sv, const bcf_hdr_t *hdr, bcf1_t *rec, const uint8_t *kinds,
                 const cm_alteration *entries, size_t n_entries, long where,
                 const cm_sv_event **events, size_t *n_events, cm_vcf_stats *stats, cm_error *err)
{
    sv->text.l = 0;
    sv->n_pending = 0;
    *events = NULL;
    *n_events = 0;
    int simple_ann_read = 0;
    for (int a = 1; a < rec->n_allele; a++) {
        int ret = 0;
        if (kinds[a] != CM_SV_NONE && !simple_ann_read) {
            simple_ann_read = 1;
            if (simple_ann_exon_losses(sv, hdr, rec, a, entries, n_entries, stats) != 0)
                return cm_error_set(err, NULL, 0, 0, "out of memory");
        }
        if (kinds[a] == CM_SV_COPY_NUMBER) {
            if (copy_number_events(sv, hdr, rec, a, entries, n_entries, stats) != 0)
                return cm_error_set(err, NULL, 0, 0, "out of memory");
            // A deletion or duplication that an annotator calls a gene fusion is one too.
            annotated_pairs(sv, hdr, rec, a, entries, n_entries);
            ret = push_pairs(sv, a, sv->pairs.s, sv->pairs.l);
        } else if (kinds[a] == CM_SV_BREAKEND) {
            if (breakend_events(sv, hdr, rec, a, entries, n_entries, where, stats, err) != 0)
                return -1;
        } else if (kinds[a] == CM_SV_OTHER) {
            size_t before = sv->n_pending;
            annotated_pairs(sv, hdr, rec, a, entries, n_entries);
            ret = push_pairs(sv, a, sv->pairs.s, sv->pairs.l);
            if (ret == 0 && sv->n_pending == before)
                stats->skipped[CM_VCF_SKIP_SYMBOLIC]++;
        }
        if (ret != 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    if (sv->n_pending > sv->m_events) {
        cm_sv_event *e = realloc(sv->events, sv->n_pending * sizeof *e);
        if (!e)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        sv->events = e;
        sv->m_events = sv->n_pending;
    }
    // Slices only now: the text buffer has stopped growing.
    for (size_t i = 0; i < sv->n_pending; i++) {
        const pending_event *p = &sv->pending[i];
        cm_sv_event *e = &sv->events[i];
        e->kind = p->kind;
        e->allele = p->allele;
        e->gene = (cm_slice){sv->text.s + p->gene, (int)p->gene_len};
        e->partner =
            (cm_slice){p->partner_len ? sv->text.s + p->partner : NULL, (int)p->partner_len};
        e->is_five_prime = p->is_five_prime;
        e->gene_side = p->gene_side;
        e->exon = p->exon;
        e->exon_last = p->exon_last;
    }
    *events = sv->events;
    *n_events = sv->n_pending;
    return 0;
}

int cm_sv_finish(cm_sv_reader *sv, const char *path, cm_vcf_stats *stats, cm_error *err)
{
    // The first waiting mate in file order names the error, so that it is deterministic.
    const waiting_breakend *orphan = NULL;
    for (khint_t k = kh_begin(sv->waiting); k != kh_end(sv->waiting); k++) {
        if (!kh_exist(sv->waiting, k))
            continue;
        const waiting_breakend *w = kh_val(sv->waiting, k);
        if (w->has_mateid && !w->is_emitted) {
            if (!orphan || w->where < orphan->where)
                orphan = w;
        } else if (!w->is_emitted) {
            stats->skipped[CM_VCF_SKIP_UNPAIRED_BREAKEND]++;
        }
    }
    if (orphan)
        return cm_error_set(err, path, (int)orphan->where, 0,
                            "breakend '%s' names MATEID '%s', which is not in the file", orphan->id,
                            orphan->mate_key);
    for (khint_t k = kh_begin(sv->waiting); k != kh_end(sv->waiting); k++)
        if (kh_exist(sv->waiting, k)) {
            free((char *)kh_key(sv->waiting, k));
            free_waiting(kh_val(sv->waiting, k));
        }
    kh_clear(waiting, sv->waiting);
    return 0;
}

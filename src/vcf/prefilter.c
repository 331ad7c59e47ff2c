/*
 * The record prefilter: most records of a genome name no gene that any rule
 * names, and for them the full parse (vcf_parse, the annotation parser,
 * FORMAT) is wasted. The prefilter looks at the raw text of a record (or the
 * BCF shared block) and says "skip" only when it is sure that the full parse
 * would give no alteration a rule could select:
 *
 *   - every ALT is a plain sequence of bases (or '*'): symbolic alleles,
 *     breakends, ALT '.' and records with INFO/SVTYPE (copy number, fusions,
 *     whose genes may come from INFO or a BED) are always parsed;
 *   - the record's POS is not the position of any `variant:` key;
 *   - the annotation is VEP's (other annotators are parsed), well formed as
 *     far as the parser checks it, every entry's allele is one of the ALTs as
 *     VEP writes them (or ALLELE_NUM names one), and no entry's SYMBOL is in
 *     the gene set (whole-field comparison, whatever the feature type);
 *   - the selected samples' GT can be read (a call that is not missing);
 *   - (text) the header declares the record's contig, FILTERs, INFO keys and
 *     FORMAT keys. vcf_parse() adds what is undeclared to the header as it
 *     goes, and how htslib parses a later record may depend on what earlier
 *     ones added: such records are parsed in full on both paths, so the
 *     header changes alike whether the prefilter is on or off.
 *
 * It is handed a plain set of gene symbols and positions, never the rules. For a
 * skipped record it counts what build_alterations() in reader.c would have
 * counted (alterations, ALTs not carried or without annotation, '*' ALTs),
 * matching alleles as the CSQ parser does (cm_annotation_vep_allele_forms());
 * an entry whose allele names no ALT sends the record to the full parse,
 * which counts it (and may map it in ways of its own). Consequence terms are not read, so unknown
 * terms are not counted for skipped records. It does not check the values of
 * INFO and FORMAT fields: a skipped record is checked only for its columns,
 * POS and QUAL (reader.c, before the prefilter).
 *
 * Nothing is allocated per record once the buffers have grown.
 */
#include "prefilter.h"
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

typedef struct symbol_key {
    const char *s;
    int len;
} symbol_key;

static inline khint_t symbol_hash(symbol_key key)
{
    khint_t h = 0;
    for (int i = 0; i < key.len; i++)
        h = (h << 5) - h + (khint_t)(unsigned char)key.s[i];
    return h;
}

static inline int symbol_equal(symbol_key a, symbol_key b)
{
    return a.len == b.len && memcmp(a.s, b.s, (size_t)a.len) == 0;
}

KHASH_INIT(symbols, symbol_key, char, 0, symbol_hash, symbol_equal)
KHASH_SET_INIT_INT64(positions)

struct cm_prefilter {
    khash_t(symbols) * genes;
    char **gene_copies;
    size_t n_genes;
    khash_t(positions) * positions;
    // The annotation: its INFO tag and where Allele, SYMBOL and ALLELE_NUM sit.
    char *tag;
    int is_vep, n_fields, allele_field, symbol_field, allele_num_field;
    int last_field;       // the largest of the three
    int *bars;            // last_field + 1 offsets, for the scanner
    char last_absent[32]; // the last SYMBOL found not to be a rule gene
    int last_absent_len;  // (0: none)
    int *sample_columns;
    size_t n_samples;
    // Per-record buffers, grown and reused.
    kstring_t allele_text;
    char **alleles;
    cm_slice *vep_forms;
    int *entries_per_allele;
    uint8_t *is_skipped;
    int alleles_capacity;
    uint8_t *carried; // n_samples x alleles_capacity
    // BCF: header ids of the annotation tag, SVTYPE and GT, looked up on the first record.
    int has_ids, tag_id, svtype_id, gt_id;
    const char **sample_text; // text records: each selected sample's column
    // Text records: the last CHROM, FILTER, INFO keys (';'-joined) and FORMAT the header
    // was found to declare, so that a run of alike records costs a memcmp, not a look-up.
    kstring_t known_chrom, known_filter, known_info_keys, known_format;
    kstring_t info_keys, key; // this record's INFO keys; one key, NUL-terminated
};

void cm_prefilter_free(cm_prefilter *p)
{
    if (!p)
        return;
    if (p->genes)
        kh_destroy(symbols, p->genes);
    for (size_t i = 0; i < p->n_genes; i++)
        free(p->gene_copies[i]);
    free(p->gene_copies);
    if (p->positions)
        kh_destroy(positions, p->positions);
    free(p->tag);
    free(p->bars);
    free(p->sample_columns);
    free(p->allele_text.s);
    free(p->alleles);
    free(p->vep_forms);
    free(p->entries_per_allele);
    free(p->is_skipped);
    free(p->carried);
    free(p->sample_text);
    free(p->known_chrom.s);
    free(p->known_filter.s);
    free(p->known_info_keys.s);
    free(p->known_format.s);
    free(p->info_keys.s);
    free(p->key.s);
    free(p);
}

cm_prefilter *cm_prefilter_new(const char *const *genes, size_t n_genes, const int64_t *positions,
                               size_t n_positions, const cm_annotation_parser *annotation,
                               const int *sample_columns, size_t n_samples)
{
    cm_prefilter *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->genes = kh_init(symbols);
    p->positions = kh_init(positions);
    p->gene_copies = calloc(n_genes ? n_genes : 1, sizeof *p->gene_copies);
    p->sample_columns = malloc((n_samples ? n_samples : 1) * sizeof *p->sample_columns);
    p->sample_text = calloc(n_samples ? n_samples : 1, sizeof *p->sample_text);
    if (!p->genes || !p->positions || !p->gene_copies || !p->sample_columns || !p->sample_text)
        goto fail;
    for (size_t i = 0; i < n_genes; i++) {
        if (!(p->gene_copies[i] = strdup(genes[i])))
            goto fail;
        p->n_genes++;
        int absent;
        kh_put(symbols, p->genes, ((symbol_key){p->gene_copies[i], (int)strlen(genes[i])}),
               &absent);
        if (absent < 0)
            goto fail;
    }
    for (size_t i = 0; i < n_positions; i++) {
        int absent;
        kh_put(positions, p->positions, positions[i], &absent);
        if (absent < 0)
            goto fail;
    }
    memcpy(p->sample_columns, sample_columns, n_samples * sizeof *sample_columns);
    p->n_samples = n_samples;
    if (annotation) {
        if (!(p->tag = strdup(cm_annotation_parser_tag(annotation))))
            goto fail;
        p->is_vep = cm_annotation_parser_kind(annotation) == CM_ANNOTATION_VEP;
        p->n_fields = cm_annotation_parser_n_fields(annotation);
        p->allele_field = cm_annotation_parser_field_index(annotation, "Allele");
        p->symbol_field = cm_annotation_parser_field_index(annotation, "SYMBOL");
        p->allele_num_field = cm_annotation_parser_field_index(annotation, "ALLELE_NUM");
        p->last_field = p->allele_field > p->symbol_field ? p->allele_field : p->symbol_field;
        if (p->allele_num_field > p->last_field)
            p->last_field = p->allele_num_field;
        if (!(p->bars = malloc((size_t)(p->last_field + 2) * sizeof *p->bars)))
            goto fail;
    }
    return p;
fail:
    cm_prefilter_free(p);
    return NULL;
}

static int reserve_alleles(cm_prefilter *p, int n)
{
    if (n <= p->alleles_capacity)
        return 0;
    int capacity = n < 8 ? 8 : n * 2;
    char **alleles = realloc(p->alleles, (size_t)capacity * sizeof *alleles);
    if (alleles)
        p->alleles = alleles;
    cm_slice *forms = realloc(p->vep_forms, (size_t)capacity * sizeof *forms);
    if (forms)
        p->vep_forms = forms;
    int *entries = realloc(p->entries_per_allele, (size_t)capacity * sizeof *entries);
    if (entries)
        p->entries_per_allele = entries;
    uint8_t *skipped = realloc(p->is_skipped, (size_t)capacity);
    if (skipped)
        p->is_skipped = skipped;
    uint8_t *carried = realloc(p->carried, (size_t)capacity * (p->n_samples ? p->n_samples : 1));
    if (carried)
        p->carried = carried;
    if (!alleles || !forms || !entries || !skipped || !carried)
        return -1;
    p->alleles_capacity = capacity;
    return 0;
}

static int is_plain_allele(const char *s, size_t len)
{
    if (len == 1 && s[0] == '*')
        return 1;
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        switch (s[i]) {
        case 'A':
        case 'C':
        case 'G':
        case 'T':
        case 'N':
        case 'a':
        case 'c':
        case 'g':
        case 't':
        case 'n':
            break;
        default:
            return 0;
        }
    return 1;
}

// Copies REF and the comma-separated ALTs into p->alleles (NUL-terminated, as htslib's
// d.allele). Returns the number of alleles, or -1 when an ALT is not plain (parse in full).
static int split_alleles(cm_prefilter *p, const char *ref, size_t ref_len, const char *alt,
                         size_t alt_len)
{
    int n = 2;
    for (size_t i = 0; i < alt_len; i++)
        n += alt[i] == ',';
    if (reserve_alleles(p, n) != 0)
        return -1;
    kstring_t *text = &p->allele_text;
    text->l = 0;
    if (kputsn(ref, ref_len, text) < 0 || kputc('\0', text) < 0)
        return -1;
    const char *end = alt + alt_len;
    for (const char *s = alt; s <= end;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *stop = comma ? comma : end;
        if (!is_plain_allele(s, (size_t)(stop - s)))
            return -1;
        if (kputsn(s, (size_t)(stop - s), text) < 0 || kputc('\0', text) < 0)
            return -1;
        s = stop + 1;
    }
    // Pointers only now: kputsn may have moved the text.
    char *s = text->s;
    for (int i = 0; i < n; i++) {
        p->alleles[i] = s;
        s += strlen(s) + 1;
    }
    return n;
}

// The text of field i of a scanned entry (i < entry->n_fields, and i noted in its bars).
static cm_slice entry_field(const cm_scan_entry *entry, int i)
{
    int start = i > 0 ? entry->bars[i - 1] + 1 : 0;
    int end = i < entry->n_fields - 1 ? entry->bars[i] : entry->len;
    return (cm_slice){entry->s + start, end - start};
}

// Whether symbol is the last one found not to be a rule gene: the entries of a record, and
// the records of a gene, mostly name the same gene, and a compare is cheaper than a hash.
static int is_last_absent(const cm_prefilter *p, cm_slice symbol)
{
    return symbol.len == p->last_absent_len &&
           memcmp(symbol.s, p->last_absent, (size_t)symbol.len) == 0;
}

typedef struct entry_visit {
    cm_prefilter *p;
    int n_alleles;
} entry_visit;

// One annotation entry: 0 when it names no rule gene and one of the ALTs (counted in
// entries_per_allele as cm_csq_parse() counts it), -1 when the record must be parsed in full.
static int visit_entry(void *data, const cm_scan_entry *entry)
{
    const entry_visit *v = data;
    cm_prefilter *p = v->p;
    if (entry->n_fields == 1 && entry->len == 0 && p->n_fields > 1)
        return 0; // an empty entry
    if (entry->n_fields != p->n_fields)
        return -1; // the parser reports this error (or should read the entry itself)
    cm_slice symbol = p->symbol_field >= 0 ? entry_field(entry, p->symbol_field) : (cm_slice){0};
    if (symbol.len > 0 && !is_last_absent(p, symbol)) {
        if (kh_get(symbols, p->genes, ((symbol_key){symbol.s, symbol.len})) != kh_end(p->genes))
            return -1;
        if ((size_t)symbol.len <= sizeof p->last_absent) {
            memcpy(p->last_absent, symbol.s, (size_t)symbol.len);
            p->last_absent_len = symbol.len;
        }
    }
    int a = 0;
    cm_slice allele_num =
        p->allele_num_field >= 0 ? entry_field(entry, p->allele_num_field) : (cm_slice){0};
    if (allele_num.len > 0) {
        long value = cm_annotation_parse_count(allele_num.s, allele_num.len);
        if (value < 0)
            return -1; // the parser reports this error
        a = value >= 1 && value < v->n_alleles ? (int)value : 0;
    } else {
        cm_slice allele =
            p->allele_field >= 0 ? entry_field(entry, p->allele_field) : (cm_slice){0};
        for (int i = 1; i < v->n_alleles && !a; i++)
            if (allele.len == p->vep_forms[i].len &&
                memcmp(allele.s, p->vep_forms[i].s, (size_t)allele.len) == 0)
                a = i;
    }
    // An entry that names no ALT is parsed in full: the parser has its own ways to map
    // some (a structural variant's class for the only ALT) and counts the others.
    if (a == 0)
        return -1;
    if (!p->is_skipped[a])
        p->entries_per_allele[a]++;
    return 0;
}

// Walks the annotation entries (one pass, src/vcf/scan.c): returns 0 (no rule gene;
// entries_per_allele filled as cm_csq_parse() would count them), or -1 (a rule gene, an entry
// for no ALT, or text the parser would refuse: parse in full). *has_nul tells whether the
// text stopped at a NUL byte.
static int scan_annotation(cm_prefilter *p, const char *text, size_t len, int n_alleles,
                           int *has_nul)
{
    *has_nul = 0;
    if (!p->is_vep)
        return -1;
    cm_annotation_vep_allele_forms(p->vep_forms, p->alleles, n_alleles);
    entry_visit v = {p, n_alleles};
    return cm_scan_entries(text, len, p->bars, p->last_field + 1, visit_entry, &v, has_nul);
}

// Classifies the ALTs; returns the number reported (not '*').
static int classify_alts(cm_prefilter *p, int n_alleles)
{
    int n_reported = 0;
    p->is_skipped[0] = 1;
    for (int a = 1; a < n_alleles; a++) {
        p->is_skipped[a] = strcmp(p->alleles[a], "*") == 0;
        n_reported += !p->is_skipped[a];
        p->entries_per_allele[a] = 0;
    }
    return n_reported;
}

// Adds a skipped record's counts (p->carried filled) to stats.
static void count_skipped(const cm_prefilter *p, int n_alleles, cm_vcf_stats *stats)
{
    for (int a = 1; a < n_alleles; a++) {
        if (p->is_skipped[a]) {
            stats->skipped[CM_VCF_SKIP_SPANNING_DELETION]++;
            continue;
        }
        stats->unannotated += p->entries_per_allele[a] == 0;
    }
    for (size_t s = 0; s < p->n_samples; s++)
        for (int a = 1; a < n_alleles; a++) {
            if (p->is_skipped[a])
                continue;
            if (!p->carried[s * (size_t)n_alleles + (size_t)a]) {
                stats->not_carried++;
                continue;
            }
            int n = p->entries_per_allele[a];
            stats->alterations += (uint64_t)(n > 0 ? n : 1);
        }
}

// Marks which ALTs one sample's GT text (up to ':' or the column's end) carries. Returns -1
// when there is no called allele or the text is not a plain genotype.
static int carried_from_text(const char *gt, const char *end, uint8_t *carried, int n_alleles)
{
    memset(carried, 0, (size_t)n_alleles);
    int has_call = 0;
    const char *s = gt;
    while (s < end && *s != ':' && *s != '\t') {
        if (*s == '.') {
            s++;
        } else if (*s >= '0' && *s <= '9') {
            long allele = 0;
            while (s < end && *s >= '0' && *s <= '9' && allele < 1000000)
                allele = allele * 10 + (*s++ - '0');
            if (allele >= n_alleles)
                return -1;
            carried[allele] = 1;
            has_call = 1;
        } else {
            return -1;
        }
        if (s < end && (*s == '/' || *s == '|'))
            s++;
        else if (s < end && *s != ':' && *s != '\t')
            return -1;
    }
    return has_call ? 0 : -1;
}

// Whether the header declares every sep-separated name of [s, s + len) as a record of type
// (BCF_HL_INFO, BCF_HL_FMT, BCF_HL_FLT or BCF_HL_CTG). The last text that passed is kept in
// known.
static int declares(cm_prefilter *p, const bcf_hdr_t *hdr, int type, char sep, const char *s,
                    size_t len, kstring_t *known)
{
    if (known->s && known->l == len && memcmp(known->s, s, len) == 0)
        return 1;
    const char *end = s + len;
    for (const char *name = s; name <= end;) {
        const char *stop = memchr(name, sep, (size_t)(end - name));
        if (!stop)
            stop = end;
        p->key.l = 0;
        if (kputsn(name, (size_t)(stop - name), &p->key) < 0)
            return 0;
        int id = type == BCF_HL_CTG ? bcf_hdr_name2id(hdr, p->key.s)
                                    : bcf_hdr_id2int(hdr, BCF_DT_ID, p->key.s);
        if (id < 0 || (type != BCF_HL_CTG && !bcf_hdr_idinfo_exists(hdr, type, id)))
            return 0;
        name = stop + 1;
    }
    known->l = 0;
    return kputsn(s, len, known) < 0 ? 0 : 1;
}

// Whether the header declares the record's contig, FILTERs, INFO keys (gathered in
// p->info_keys) and FORMAT keys: nothing that vcf_parse() would add to it.
static int header_declares(cm_prefilter *p, const bcf_hdr_t *hdr, const char *const *column,
                           const size_t *column_len, int n_columns)
{
    if (!declares(p, hdr, BCF_HL_CTG, '\t', column[0], column_len[0], &p->known_chrom))
        return 0;
    int is_pass = (column_len[6] == 1 && column[6][0] == '.') ||
                  (column_len[6] == 4 && memcmp(column[6], "PASS", 4) == 0);
    if (!is_pass && !declares(p, hdr, BCF_HL_FLT, ';', column[6], column_len[6], &p->known_filter))
        return 0;
    if (p->info_keys.l > 0 && !declares(p, hdr, BCF_HL_INFO, ';', p->info_keys.s,
                                        p->info_keys.l - 1, &p->known_info_keys))
        return 0;
    return n_columns < 9 ||
           declares(p, hdr, BCF_HL_FMT, ':', column[8], column_len[8], &p->known_format);
}

int cm_prefilter_text(cm_prefilter *p, const bcf_hdr_t *hdr, const char *line, size_t len,
                      cm_vcf_stats *stats)
{
    // Columns: CHROM POS ID REF ALT QUAL FILTER INFO FORMAT samples...
    const char *column[10] = {0};
    size_t column_len[10] = {0};
    const char *end = line + len, *s = line;
    int n = 0;
    while (n < 10 && s <= end) {
        const char *tab = memchr(s, '\t', (size_t)(end - s));
        column[n] = s;
        column_len[n] = (size_t)((tab ? tab : end) - s);
        n++;
        if (!tab)
            break;
        s = tab + 1;
    }
    if (n < 8)
        return 0;
    int64_t pos = 0;
    for (size_t i = 0; i < column_len[1] && i < 18; i++)
        pos = pos * 10 + (column[1][i] - '0');
    if (kh_get(positions, p->positions, pos) != kh_end(p->positions))
        return 0;
    int n_alleles = split_alleles(p, column[3], column_len[3], column[4], column_len[4]);
    if (n_alleles < 2)
        return 0;
    int n_reported = classify_alts(p, n_alleles);

    // INFO: the annotation's value; SVTYPE means a structural record.
    const char *annotation = NULL;
    size_t annotation_len = 0;
    size_t tag_len = p->tag ? strlen(p->tag) : 0;
    const char *info = column[7], *info_end = column[7] + column_len[7];
    p->info_keys.l = 0;
    if (!(column_len[7] == 1 && info[0] == '.')) {
        for (const char *key = info; key < info_end;) {
            const char *semi = memchr(key, ';', (size_t)(info_end - key));
            const char *key_end = semi ? semi : info_end;
            const char *eq = memchr(key, '=', (size_t)(key_end - key));
            size_t key_len = (size_t)((eq ? eq : key_end) - key);
            if (kputsn(key, key_len, &p->info_keys) < 0 || kputc(';', &p->info_keys) < 0)
                return 0;
            if (key_len == 6 && memcmp(key, "SVTYPE", 6) == 0)
                return 0;
            if (tag_len && key_len == tag_len && memcmp(key, p->tag, tag_len) == 0) {
                if (!eq || annotation || eq + 1 == key_end)
                    return 0; // a flag, a repeated or an empty tag: let htslib decide
                annotation = eq + 1;
                annotation_len = (size_t)(key_end - annotation);
            }
            key = key_end + 1;
        }
    }
    if (!header_declares(p, hdr, column, column_len, n))
        return 0;
    if (n_reported == 0) {
        count_skipped(p, n_alleles, stats); // no alteration: only the '*' ALTs count
        return 1;
    }
    int has_nul; // never set: the reader refuses a text line with a NUL byte
    if (annotation && scan_annotation(p, annotation, annotation_len, n_alleles, &has_nul) != 0)
        return 0;

    // The selected samples' GT (the first FORMAT key when present).
    size_t n_samples = p->n_samples;
    int has_columns = n_samples > 0 && p->sample_columns[0] >= 0;
    if (has_columns) {
        if (n < 10 || column_len[8] < 2 || memcmp(column[8], "GT", 2) != 0 ||
            (column_len[8] > 2 && column[8][2] != ':'))
            return 0;
        // Sample columns in file order: walk the tabs once.
        int max_column = 0;
        for (size_t i = 0; i < n_samples; i++)
            if (p->sample_columns[i] > max_column)
                max_column = p->sample_columns[i];
        const char *sample = column[9];
        for (int c = 0; c <= max_column; c++) {
            for (size_t i = 0; i < n_samples; i++)
                if (p->sample_columns[i] == c)
                    p->sample_text[i] = sample;
            if (c == max_column)
                break;
            const char *tab = memchr(sample, '\t', (size_t)(end - sample));
            if (!tab)
                return 0;
            sample = tab + 1;
        }
        for (size_t i = 0; i < n_samples; i++)
            if (carried_from_text(p->sample_text[i], end, p->carried + i * (size_t)n_alleles,
                                  n_alleles) != 0)
                return 0;
    } else {
        memset(p->carried, 1, n_samples * (size_t)n_alleles);
    }
    count_skipped(p, n_alleles, stats);
    return 1;
}

// A GT value of a BCF record (any integer width) as htslib's int32 encoding.
static int32_t gt_value(const bcf_fmt_t *fmt, int column, int k)
{
    const uint8_t *p = fmt->p + (size_t)column * (size_t)fmt->size;
    switch (fmt->type) {
    case BCF_BT_INT8: {
        int8_t v = ((const int8_t *)p)[k];
        return v == bcf_int8_vector_end ? bcf_int32_vector_end
               : v == bcf_int8_missing  ? bcf_int32_missing
                                        : v;
    }
    case BCF_BT_INT16: {
        int16_t v;
        memcpy(&v, p + 2 * k, 2);
        return v == bcf_int16_vector_end ? bcf_int32_vector_end
               : v == bcf_int16_missing  ? bcf_int32_missing
                                         : v;
    }
    default: {
        int32_t v;
        memcpy(&v, p + 4 * k, 4);
        return v;
    }
    }
}

// A read position in a BCF block, read with htslib's decoders of typed values (vcf.h) and
// never past its end: the prefilter needs only GT of the FORMAT block, and bcf_unpack()
// would index every FORMAT field of every sample.
typedef struct bcf_cursor {
    const uint8_t *p, *end;
} bcf_cursor;

// Bytes of one value of a BCF type, or 0 for a type a record may not hold.
static size_t type_width(int type)
{
    switch (type) {
    case BCF_BT_NULL:
    case BCF_BT_INT8:
    case BCF_BT_CHAR:
        return 1;
    case BCF_BT_INT16:
        return 2;
    case BCF_BT_INT32:
    case BCF_BT_FLOAT:
        return 4;
    default:
        return 0;
    }
}

// Whether a typed integer (a type byte and the integer) starts at `at`, within the block.
static int has_typed_int(const bcf_cursor *c, const uint8_t *at)
{
    if (at >= c->end)
        return 0;
    int type = *at & 0xf;
    size_t width = type == BCF_BT_INT8    ? 1
                   : type == BCF_BT_INT16 ? 2
                   : type == BCF_BT_INT32 ? 4
                                          : 0;
    return width > 0 && (size_t)(c->end - at) >= 1 + width;
}

// Reads a typed integer (an INFO or FORMAT key). Returns 0, or -1 when it is not one.
static int read_typed_int(bcf_cursor *c, int *value)
{
    if (!has_typed_int(c, c->p))
        return -1;
    uint8_t *next = NULL;
    int64_t v = bcf_dec_typed_int1(c->p, &next);
    if (v < 0 || v > INT32_MAX)
        return -1;
    *value = (int)v;
    c->p = next;
    return 0;
}

// Reads the type and count of a typed vector, leaving c->p at its values. Returns the
// number of values and sets *width to the bytes of one, or -1 when the block does not
// hold that many (values_per_count copies of them: one per sample in the FORMAT block).
static int read_vector(bcf_cursor *c, size_t values_per_count, int *type, size_t *width)
{
    if (c->p >= c->end || ((*c->p >> 4) == 15 && !has_typed_int(c, c->p + 1)))
        return -1;
    uint8_t *next = NULL;
    int32_t n = bcf_dec_size(c->p, &next, type);
    if (!next || n < 0 || !(*width = type_width(*type)) ||
        (size_t)n * *width * values_per_count > (size_t)(c->end - next))
        return -1;
    c->p = next;
    return n;
}

// The GT field of a BCF record, which the VCF specification puts first in FORMAT, read into
// fmt (as bcf_unpack() would set it). Returns 0, or -1 when the first field is not GT.
static int read_gt(const cm_prefilter *p, const bcf1_t *rec, bcf_fmt_t *fmt)
{
    bcf_cursor c = {(const uint8_t *)rec->indiv.s, (const uint8_t *)rec->indiv.s + rec->indiv.l};
    int key, type;
    size_t width;
    if (rec->n_fmt == 0 || p->gt_id < 0 || read_typed_int(&c, &key) < 0 || key != p->gt_id)
        return -1;
    int n = read_vector(&c, rec->n_sample, &type, &width);
    if (n <= 0 || (type != BCF_BT_INT8 && type != BCF_BT_INT16 && type != BCF_BT_INT32))
        return -1;
    fmt->id = key;
    fmt->n = n;
    fmt->type = type;
    fmt->size = n * (int)width;
    fmt->p = (uint8_t *)c.p;
    return 0;
}

int cm_prefilter_bcf(cm_prefilter *p, const bcf_hdr_t *hdr, bcf1_t *rec, cm_vcf_stats *stats)
{
    if (!p->has_ids) {
        // Looked up once: bcf_get_info() by name cost a hash look-up per record and tag.
        p->tag_id = p->tag ? bcf_hdr_id2int(hdr, BCF_DT_ID, p->tag) : -1;
        p->svtype_id = bcf_hdr_id2int(hdr, BCF_DT_ID, "SVTYPE");
        p->gt_id = bcf_hdr_id2int(hdr, BCF_DT_ID, "GT");
        p->has_ids = 1;
    }
    if (kh_get(positions, p->positions, (int64_t)rec->pos + 1) != kh_end(p->positions))
        return 0;
    if (bcf_unpack(rec, BCF_UN_STR | BCF_UN_INFO) != 0 || rec->n_allele < 2)
        return 0;
    int n_alleles = rec->n_allele;
    if (reserve_alleles(p, n_alleles) != 0)
        return 0;
    for (int a = 0; a < n_alleles; a++) {
        if (a > 0 && !is_plain_allele(rec->d.allele[a], strlen(rec->d.allele[a])))
            return 0;
        p->alleles[a] = rec->d.allele[a];
    }
    int n_reported = classify_alts(p, n_alleles);
    const char *annotation = NULL;
    size_t annotation_len = 0;
    for (int i = 0; i < rec->n_info; i++) {
        const bcf_info_t *info = &rec->d.info[i];
        if (!info->vptr)
            continue; // deleted
        if (info->key == p->svtype_id)
            return 0;
        if (info->key == p->tag_id) {
            if (info->type != BCF_BT_CHAR || info->len <= 0 || annotation)
                return 0;
            annotation = (const char *)info->vptr;
            annotation_len = (size_t)info->len;
            if (annotation[0] == '\0')
                return 0;
        }
    }
    if (n_reported == 0) {
        count_skipped(p, n_alleles, stats);
        return 1;
    }
    // A BCF string ends at its first NUL (the rest pads it), as bcf_get_info_string() reads it.
    int has_nul;
    if (annotation && scan_annotation(p, annotation, annotation_len, n_alleles, &has_nul) != 0)
        return 0;
    size_t n_samples = p->n_samples;
    if (n_samples > 0 && p->sample_columns[0] >= 0) {
        bcf_fmt_t gt, *fmt = &gt;
        if (read_gt(p, rec, &gt) != 0)
            return 0;
        for (size_t i = 0; i < n_samples; i++) {
            uint8_t *carried = p->carried + i * (size_t)n_alleles;
            memset(carried, 0, (size_t)n_alleles);
            int has_call = 0;
            if (p->sample_columns[i] >= (int)rec->n_sample)
                return 0;
            for (int k = 0; k < fmt->n; k++) {
                int32_t v = gt_value(fmt, p->sample_columns[i], k);
                if (v == bcf_int32_vector_end)
                    break;
                if (v == bcf_int32_missing || bcf_gt_is_missing(v))
                    continue;
                int a = bcf_gt_allele(v);
                if (a < 0 || a >= n_alleles)
                    return 0;
                carried[a] = 1;
                has_call = 1;
            }
            if (!has_call)
                return 0;
        }
    } else {
        memset(p->carried, 1, n_samples * (size_t)n_alleles);
    }
    count_skipped(p, n_alleles, stats);
    return 1;
}

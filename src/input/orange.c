/*
 * Hartwig ORANGE JSON (docs/alterations.md, "ORANGE JSON"): one tumour
 * sample's PURPLE, LINX, CHORD and signature results in one file. Every key is
 * found by its name and unknown keys are ignored: ORANGE has renamed its keys
 * between generations (flat purple.purity and reportableSomaticVariants with
 * canonicalHgvsProteinImpact in 2022; purple.fit, purple.characteristics,
 * allSomaticVariants and canonicalImpact{} in ORANGE 2.x/3.x; one
 * purple.somaticVariants list with reported flags in the datamodel of today).
 * Each list is read under the first of its generations' names the file has.
 *
 * The file is loaded whole with jansson (one sample; gzip/BGZF decompressed by
 * htslib), then walked entry by entry: next() hands back one alteration at a
 * time, its texts borrowed from the loaded document and its source key
 * ("purple.somaticVariants[0]") from one reused buffer, so the work is linear
 * in the file. Facts (purity, ploidy, tmb, msi, hrd, signatures, ...) are
 * recorded on open. Nothing here prints or exits.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/khash.h>
#include <jansson.h>

/// What an entry of a list becomes.
typedef enum entry_kind { ENTRY_VARIANT, ENTRY_GAIN_DEL, ENTRY_FUSION, ENTRY_GERMLINE } entry_kind;

/// One list of entries to read: its array, the section it is in and its name.
typedef struct entry_list {
    json_t *array;
    const char *section; // "purple" or "linx"
    const char *name;
    entry_kind kind;
} entry_list;

enum { MAX_LISTS = 32 };

KHASH_SET_INIT_STR(orange_seen)

typedef struct orange_reader {
    json_t *root;
    entry_list lists[MAX_LISTS];
    size_t n_lists, list, entry;
    kstring_t key;               // the current entry's JSON path (the alteration's key)
    kstring_t where;             // "path:key" of an error
    kstring_t terms;             // the current variant's consequence terms, '&'-joined
    kstring_t identity;          // what tells the current entry apart (variant, gene, gene pair)
    khash_t(orange_seen) * seen; // identities met so far (owned keys)
    int skip_unknown_class, skip_no_genes, skip_germline, skip_twice, skip_same_gene;
} orange_reader;

/* ---- Typed access to keys; an error names the file and the key ---- */

static const char *type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

// Fills err with "path:parent.name: message" (name NULL: the parent key itself).
static int key_error(cm_input *input, orange_reader *r, const char *parent, const char *name,
                     cm_error *err, const char *message)
{
    r->where.l = 0;
    ksprintf(&r->where, "%s:%s%s%s", input->path, parent, name && *parent ? "." : "",
             name ? name : "");
    return cm_error_set(err, r->where.s ? r->where.s : input->path, 0, 0, "%s", message);
}

static int wrong_type(cm_input *input, orange_reader *r, const char *parent, const char *name,
                      const char *want, const json_t *value, cm_error *err)
{
    char message[128];
    snprintf(message, sizeof message, "%s, not %s", type_name(value), want);
    return key_error(input, r, parent, name, err, message);
}

// The member name of obj: 1 and *out when present (not null), 0 when absent or null, -1 (err
// filled) when it is not of the type wanted (JSON_INTEGER accepts only integers, JSON_REAL
// any number).
static int member(cm_input *input, orange_reader *r, const json_t *obj, const char *parent,
                  const char *name, json_type type, json_t **out, cm_error *err)
{
    *out = NULL;
    json_t *value = obj ? json_object_get(obj, name) : NULL;
    if (!value || json_is_null(value))
        return 0;
    int ok = type == JSON_REAL ? json_is_number(value) : json_typeof(value) == type;
    if (!ok) {
        const char *want = type == JSON_OBJECT    ? "an object"
                           : type == JSON_ARRAY   ? "an array"
                           : type == JSON_STRING  ? "a string"
                           : type == JSON_INTEGER ? "an integer"
                           : type == JSON_TRUE    ? "a boolean"
                                                  : "a number";
        return wrong_type(input, r, parent, name, want, value, err);
    }
    *out = value;
    return 1;
}

// A string member as a slice (absent or null: an empty slice). Returns 0, or -1.
static int string_member(cm_input *input, orange_reader *r, const json_t *obj, const char *parent,
                         const char *name, cm_slice *out, cm_error *err)
{
    json_t *value;
    *out = (cm_slice){"", 0};
    int got = member(input, r, obj, parent, name, JSON_STRING, &value, err);
    if (got > 0) {
        size_t len = json_string_length(value);
        *out = (cm_slice){json_string_value(value), len > INT32_MAX ? INT32_MAX : (int)len};
    }
    return got < 0 ? -1 : 0;
}

// The first of two names a string member has (an older and a newer generation).
static int string_either(cm_input *input, orange_reader *r, const json_t *obj, const char *parent,
                         const char *name, const char *older, cm_slice *out, cm_error *err)
{
    if (string_member(input, r, obj, parent, name, out, err) < 0)
        return -1;
    if (out->len == 0 && !json_object_get(obj, name) && older)
        return string_member(input, r, obj, parent, older, out, err);
    return 0;
}

/* ---- Facts ---- */

// A number as fact text: what the file wrote, to 15 significant digits (0.99, 13.7219).
static void number_text(double value, char *out, size_t size)
{
    snprintf(out, size, "%.15g", value);
}

// A number fact from section.name (or, in the oldest generation, flat.name): 0 when
// absent, -1 with err filled when it is not a number or out of [min, max].
static int number_fact(cm_input *input, orange_reader *r, const json_t *section,
                       const char *section_key, const json_t *flat, const char *flat_key,
                       const char *name, const char *fact, double max, cm_error *err)
{
    json_t *value;
    const char *parent = section_key;
    int got = member(input, r, section, section_key, name, JSON_REAL, &value, err);
    if (got == 0 && flat) {
        parent = flat_key;
        got = member(input, r, flat, flat_key, name, JSON_REAL, &value, err);
    }
    if (got <= 0)
        return got;
    double number = json_number_value(value);
    if (!isfinite(number) || number < 0 || number > max) {
        char message[160];
        snprintf(message, sizeof message, "%s %.15g is not %s", name, number,
                 max <= 1 ? "between 0 and 1" : "a non-negative number");
        return key_error(input, r, parent, name, err, message);
    }
    char text[64];
    number_text(number, text, sizeof text);
    kstring_t where = {0, 0, NULL};
    ksprintf(&where, "%s.%s", parent, name);
    int status = where.s ? cm_input_add_fact(input, 0, fact, text, where.s) : -1;
    free(where.s);
    return status < 0 ? cm_error_set(err, input->path, 0, 0, "out of memory") : 0;
}

// A word fact: the member's text is looked up in words (pairs of ORANGE's word and the fact's
// value; a NULL value: not given); another text is bad input.
static int word_fact(cm_input *input, orange_reader *r, const json_t *section,
                     const char *section_key, const json_t *flat, const char *flat_key,
                     const char *name, const char *fact, const char *const *words,
                     const char *expected, cm_error *err)
{
    json_t *value;
    const char *parent = section_key;
    int got = member(input, r, section, section_key, name, JSON_STRING, &value, err);
    if (got == 0 && flat) {
        parent = flat_key;
        got = member(input, r, flat, flat_key, name, JSON_STRING, &value, err);
    }
    if (got <= 0)
        return got;
    const char *text = json_string_value(value);
    for (const char *const *word = words; *word; word += 2)
        if (strcmp(text, word[0]) == 0) {
            if (!word[1])
                return 0;
            kstring_t where = {0, 0, NULL};
            ksprintf(&where, "%s.%s", parent, name);
            int status = where.s ? cm_input_add_fact(input, 0, fact, word[1], where.s) : -1;
            free(where.s);
            return status < 0 ? cm_error_set(err, input->path, 0, 0, "out of memory") : 0;
        }
    char message[256];
    snprintf(message, sizeof message, "'%.80s' is not %s", text, expected);
    return key_error(input, r, parent, name, err, message);
}

/// The mutational signatures cohortmatch names, from COSMIC's names as ORANGE (SigN, COSMIC
/// v2) or a newer release (SBSN) writes them.
static const struct {
    const char *signature;
    const char *name;
} signature_names[] = {
    {"Sig2", "apobec"},
    {"Sig13", "apobec"},
    {"SBS2", "apobec"},
    {"SBS13", "apobec"},
    {"Sig3", "hrd"},
    {"SBS3", "hrd"},
    {"Sig4", "tobacco"},
    {"Sig29", "tobacco"},
    {"SBS4", "tobacco"},
    {"SBS29", "tobacco"},
    {"Sig7", "uv"},
    {"SBS7a", "uv"},
    {"SBS7b", "uv"},
    {"SBS7c", "uv"},
    {"SBS7d", "uv"},
    {"Sig10", "pole"},
    {"SBS10a", "pole"},
    {"SBS10b", "pole"},
    {"Sig11", "temozolomide"},
    {"SBS11", "temozolomide"},
    {"Sig6", "mmr"},
    {"Sig15", "mmr"},
    {"Sig20", "mmr"},
    {"Sig26", "mmr"},
    {"SBS6", "mmr"},
    {"SBS15", "mmr"},
    {"SBS20", "mmr"},
    {"SBS26", "mmr"},
    {"SBS44", "mmr"},
};

/// The share of the sample's SNVs a signature (summed over its COSMIC names) must explain to
/// be named (docs/alterations.md, "ORANGE JSON").
#define SIGNATURE_MIN_SHARE 0.10

// signatures: the names whose COSMIC signatures together explain at least
// SIGNATURE_MIN_SHARE of the SNVs, in the order of signature_names; "none" when the file has
// allocations and none reaches it.
static int signature_facts(cm_input *input, orange_reader *r, cm_error *err)
{
    json_t *array;
    int got = member(input, r, r->root, "", "sigAllocations", JSON_ARRAY, &array, err);
    if (got <= 0 || json_array_size(array) == 0)
        return got;
    enum { N_NAMES = sizeof signature_names / sizeof signature_names[0] };
    double share[N_NAMES] = {0};
    size_t i;
    json_t *entry;
    kstring_t key = {0, 0, NULL};
    int status = 0;
    json_array_foreach(array, i, entry)
    {
        key.l = 0;
        ksprintf(&key, "sigAllocations[%zu]", i);
        if (!json_is_object(entry)) {
            status = wrong_type(input, r, key.s, NULL, "an object", entry, err);
            break;
        }
        cm_slice signature;
        json_t *percent;
        if (string_member(input, r, entry, key.s, "signature", &signature, err) < 0 ||
            member(input, r, entry, key.s, "percent", JSON_REAL, &percent, err) < 0) {
            status = -1;
            break;
        }
        if (!percent || signature.len == 0)
            continue;
        for (size_t k = 0; k < N_NAMES; k++)
            if (cm_slice_equals(signature, signature_names[k].signature)) {
                // Summed under the first entry of the name (Sig2 and Sig13 are APOBEC).
                size_t first = 0;
                while (strcmp(signature_names[first].name, signature_names[k].name) != 0)
                    first++;
                share[first] += json_number_value(percent);
            }
    }
    free(key.s);
    if (status < 0)
        return -1;
    int named = 0;
    for (size_t k = 0; k < N_NAMES && status == 0; k++)
        if (share[k] >= SIGNATURE_MIN_SHARE) {
            named++;
            if (cm_input_add_fact(input, 0, "signatures", signature_names[k].name,
                                  "sigAllocations") < 0)
                status = cm_error_set(err, input->path, 0, 0, "out of memory");
        }
    if (status == 0 && named == 0 &&
        cm_input_add_fact(input, 0, "signatures", "none", "sigAllocations") < 0)
        status = cm_error_set(err, input->path, 0, 0, "out of memory");
    return status;
}

// PURPLE's QC status (PASS, WARN_*, FAIL_*), one fact per word: a board sees a failed fit.
static int qc_facts(cm_input *input, orange_reader *r, const json_t *qc, const char *qc_key,
                    cm_error *err)
{
    json_t *status_array;
    int got = member(input, r, qc, qc_key, "status", JSON_ARRAY, &status_array, err);
    if (got <= 0)
        return got;
    size_t i;
    json_t *word;
    kstring_t where = {0, 0, NULL};
    ksprintf(&where, "%s.status", qc_key);
    int status = 0;
    json_array_foreach(status_array, i, word)
    {
        if (!json_is_string(word)) {
            char index[32];
            snprintf(index, sizeof index, "status[%zu]", i);
            status = wrong_type(input, r, qc_key, index, "a string", word, err);
            break;
        }
        if (cm_input_add_fact(input, 0, "purple_qc", json_string_value(word), where.s) < 0) {
            status = cm_error_set(err, input->path, 0, 0, "out of memory");
            break;
        }
    }
    free(where.s);
    return status;
}

static int read_facts(cm_input *input, orange_reader *r, json_t *purple, cm_error *err)
{
    json_t *fit, *characteristics, *chord, *qc;
    if (member(input, r, purple, "purple", "fit", JSON_OBJECT, &fit, err) < 0 ||
        member(input, r, purple, "purple", "characteristics", JSON_OBJECT, &characteristics, err) <
            0 ||
        member(input, r, r->root, "", "chord", JSON_OBJECT, &chord, err) < 0)
        return -1;
    // The oldest generation has no fit or characteristics: its keys are purple's own.
    static const char *const msi_words[] = {"MSI", "high", "MSS", "stable", "UNKNOWN", NULL, NULL};
    static const char *const hr_words[] = {"HR_DEFICIENT",
                                           "deficient",
                                           "HR_PROFICIENT",
                                           "proficient",
                                           "CANNOT_BE_DETERMINED",
                                           NULL,
                                           "UNKNOWN",
                                           NULL,
                                           NULL};
    if (number_fact(input, r, fit, "purple.fit", purple, "purple", "purity", "purity", 1, err) <
            0 ||
        number_fact(input, r, fit, "purple.fit", purple, "purple", "ploidy", "ploidy", INFINITY,
                    err) < 0 ||
        number_fact(input, r, characteristics, "purple.characteristics", purple, "purple",
                    "tumorMutationalBurdenPerMb", "tmb", INFINITY, err) < 0 ||
        word_fact(input, r, characteristics, "purple.characteristics", purple, "purple",
                  "microsatelliteStatus", "msi", msi_words, "MSI, MSS or UNKNOWN", err) < 0)
        return -1;
    size_t before = input->n_facts;
    if (word_fact(input, r, chord, "chord", NULL, NULL, "hrStatus", "hrd", hr_words,
                  "HR_DEFICIENT, HR_PROFICIENT or CANNOT_BE_DETERMINED", err) < 0)
        return -1;
    // CHORD's score only beside a status it determined.
    if (input->n_facts > before &&
        number_fact(input, r, chord, "chord", NULL, NULL, "hrdValue", "hrd_value", 1, err) < 0)
        return -1;
    if (signature_facts(input, r, err) < 0)
        return -1;
    const char *qc_key = "purple.fit.qc";
    if (member(input, r, fit, "purple.fit", "qc", JSON_OBJECT, &qc, err) < 0)
        return -1;
    if (!qc) {
        qc_key = "purple.qc";
        if (member(input, r, purple, "purple", "qc", JSON_OBJECT, &qc, err) < 0)
            return -1;
    }
    return qc ? qc_facts(input, r, qc, qc_key, err) : 0;
}

/* ---- The lists ---- */

/// Every name a kind of list has had (docs/alterations.md, "ORANGE JSON"). All that a file has
/// are read, one after the other: the lists of one generation overlap (the reportable entries
/// are also in the "all" list, or, in a trimmed file, only in the reportable one), and an entry
/// met again is counted as listed_twice, not read twice.
static const char *const variant_names[] = {"somaticVariants",
                                            "allSomaticVariants",
                                            "reportableSomaticVariants",
                                            "unreportedSomaticVariants",
                                            "additionalSuspectSomaticVariants",
                                            NULL};
static const char *const gain_del_names[] = {"somaticGainsDels",
                                             "allSomaticGainsDels",
                                             "reportableSomaticGainsDels",
                                             "additionalSuspectSomaticGainsDels",
                                             "allSomaticGainsLosses",
                                             "reportableSomaticGainsLosses",
                                             "additionalSuspectSomaticGainsLosses",
                                             "reportableGainsLosses",
                                             "unreportedGainsLosses",
                                             "nearReportableSomaticGains",
                                             NULL};
static const char *const fusion_names[] = {"fusions",
                                           "allSomaticFusions",
                                           "reportableSomaticFusions",
                                           "additionalSuspectSomaticFusions",
                                           "reportableFusions",
                                           "unreportedFusions",
                                           NULL};
static const char *const germline_names[] = {"germlineVariants",
                                             "allGermlineVariants",
                                             "reportableGermlineVariants",
                                             "unreportedGermlineVariants",
                                             "additionalSuspectGermlineVariants",
                                             NULL};

// Adds every list of names that section has. Returns 0, or -1.
static int add_lists(cm_input *input, orange_reader *r, json_t *section, const char *section_key,
                     const char *const *names, entry_kind kind, cm_error *err)
{
    for (const char *const *name = names; *name; name++) {
        json_t *array;
        int got = member(input, r, section, section_key, *name, JSON_ARRAY, &array, err);
        if (got < 0)
            return -1;
        if (got == 0)
            continue;
        if (r->n_lists == MAX_LISTS)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        r->lists[r->n_lists++] = (entry_list){array, section_key, *name, kind};
    }
    return 0;
}

// Whether the entry (its identity in *identity) was met before; remembers it. Returns 1, 0,
// or -1 when out of memory.
static int seen_before(orange_reader *r, const kstring_t *identity)
{
    khint_t k = kh_get(orange_seen, r->seen, identity->s);
    if (k != kh_end(r->seen))
        return 1;
    char *copy = strdup(identity->s);
    int absent;
    if (!copy || (k = kh_put(orange_seen, r->seen, copy, &absent), absent < 0)) {
        free(copy);
        return -1;
    }
    return 0;
}

/* ---- Entries ---- */

/// ORANGE's variant effects (PAVE's names) as SO terms; a name not listed is tried as an SO
/// term itself (the oldest generation wrote SO terms).
static const char *const effect_terms[][2] = {
    {"STOP_GAINED", "stop_gained"},
    {"STOP_LOST", "stop_lost"},
    {"START_LOST", "start_lost"},
    {"FRAMESHIFT", "frameshift_variant"},
    {"SPLICE_ACCEPTOR", "splice_acceptor_variant"},
    {"SPLICE_DONOR", "splice_donor_variant"},
    {"INFRAME_INSERTION", "inframe_insertion"},
    {"INFRAME_DELETION", "inframe_deletion"},
    {"PHASED_INFRAME_INSERTION", "inframe_insertion"},
    {"PHASED_INFRAME_DELETION", "inframe_deletion"},
    {"MISSENSE", "missense_variant"},
    {"PHASED_MISSENSE", "missense_variant"},
    {"SYNONYMOUS", "synonymous_variant"},
    {"PHASED_SYNONYMOUS", "synonymous_variant"},
    {"INTRONIC", "intron_variant"},
    {"FIVE_PRIME_UTR", "5_prime_UTR_variant"},
    {"THREE_PRIME_UTR", "3_prime_UTR_variant"},
    {"UPSTREAM_GENE", "upstream_gene_variant"},
    {"NON_CODING_TRANSCRIPT", "non_coding_transcript_exon_variant"},
    {"SPLICE_REGION", "splice_region_variant"},
};

static void add_effect(kstring_t *terms, const char *effect)
{
    const char *term = effect;
    for (size_t i = 0; i < sizeof effect_terms / sizeof effect_terms[0]; i++)
        if (strcmp(effect, effect_terms[i][0]) == 0)
            term = effect_terms[i][1];
    if (terms->l)
        kputc('&', terms);
    kputs(term, terms);
}

static int read_variant(cm_input *input, orange_reader *r, const json_t *entry, cm_alteration *a,
                        cm_error *err)
{
    const char *key = r->key.s;
    a->kind = CM_ALTERATION_SMALL;
    a->allele = 1;
    json_t *position, *impact, *depth;
    if (string_member(input, r, entry, key, "gene", &a->gene, err) < 0 ||
        string_member(input, r, entry, key, "chromosome", &a->chrom, err) < 0 ||
        member(input, r, entry, key, "position", JSON_INTEGER, &position, err) < 0 ||
        string_member(input, r, entry, key, "ref", &a->ref, err) < 0 ||
        string_member(input, r, entry, key, "alt", &a->alt, err) < 0 ||
        member(input, r, entry, key, "canonicalImpact", JSON_OBJECT, &impact, err) < 0)
        return -1;
    const char *missing = a->chrom.len == 0 ? "chromosome"
                          : !position       ? "position"
                          : a->ref.len == 0 ? "ref"
                          : a->alt.len == 0 ? "alt"
                                            : NULL;
    if (missing)
        return key_error(input, r, key, missing, err, "missing (a variant needs its position)");
    if (json_integer_value(position) < 1)
        return key_error(input, r, key, "position", err, "not a position (1-based)");
    a->pos = (int64_t)json_integer_value(position);
    // The canonical transcript's impact: an object (ORANGE 2.x on) or flat keys (2022).
    r->terms.l = 0;
    if (impact) {
        kstring_t impact_key = {0, 0, NULL};
        ksprintf(&impact_key, "%s.canonicalImpact", key);
        json_t *effects, *exon;
        int status = impact_key.s ? 0 : -1;
        if (status == 0 &&
            (string_member(input, r, impact, impact_key.s, "transcript", &a->transcript, err) < 0 ||
             string_member(input, r, impact, impact_key.s, "hgvsCodingImpact", &a->hgvsc, err) <
                 0 ||
             string_member(input, r, impact, impact_key.s, "hgvsProteinImpact", &a->hgvsp, err) <
                 0 ||
             member(input, r, impact, impact_key.s, "effects", JSON_ARRAY, &effects, err) < 0 ||
             member(input, r, impact, impact_key.s, "affectedExon", JSON_INTEGER, &exon, err) < 0))
            status = -1;
        size_t i;
        json_t *effect;
        if (status == 0 && effects)
            json_array_foreach(effects, i, effect)
            {
                if (!json_is_string(effect)) {
                    char index[32];
                    snprintf(index, sizeof index, "effects[%zu]", i);
                    status = wrong_type(input, r, impact_key.s, index, "a string", effect, err);
                    break;
                }
                add_effect(&r->terms, json_string_value(effect));
            }
        if (status == 0 && exon && json_integer_value(exon) > 0 &&
            json_integer_value(exon) < INT32_MAX)
            a->exon = (int)json_integer_value(exon);
        free(impact_key.s);
        if (status < 0)
            return -1;
    } else {
        cm_slice effect;
        if (string_member(input, r, entry, key, "canonicalTranscript", &a->transcript, err) < 0 ||
            string_member(input, r, entry, key, "canonicalHgvsCodingImpact", &a->hgvsc, err) < 0 ||
            string_member(input, r, entry, key, "canonicalHgvsProteinImpact", &a->hgvsp, err) < 0 ||
            string_member(input, r, entry, key, "canonicalEffect", &effect, err) < 0)
            return -1;
        if (effect.len)
            kputsn(effect.s, (size_t)effect.len, &r->terms);
    }
    a->consequence = cm_consequence_parse(r->terms.s ? r->terms.s : "", r->terms.l, NULL);
    cm_protein_change_parse(a->hgvsp.s, (size_t)a->hgvsp.len, &a->protein);
    if (a->transcript.len) {
        a->transcript_flags = CM_TRANSCRIPT_CANONICAL;
        a->is_preferred = 1;
    }
    // Read counts: tumorDepth{} (ORANGE 2.x on) or flat keys (2022). adjustedVAF is purity-
    // adjusted, not what was read: the VAF is the allele's reads over all reads.
    json_t *total = NULL, *allele = NULL;
    if (member(input, r, entry, key, "tumorDepth", JSON_OBJECT, &depth, err) < 0)
        return -1;
    kstring_t depth_key = {0, 0, NULL};
    ksprintf(&depth_key, "%s%s", key, depth ? ".tumorDepth" : "");
    const json_t *counts = depth ? depth : entry;
    int status = depth_key.s ? 0 : -1;
    if (status == 0 &&
        (member(input, r, counts, depth_key.s, "totalReadCount", JSON_INTEGER, &total, err) < 0 ||
         member(input, r, counts, depth_key.s, "alleleReadCount", JSON_INTEGER, &allele, err) < 0))
        status = -1;
    if (status == 0 && total && allele) {
        json_int_t n_total = json_integer_value(total), n_allele = json_integer_value(allele);
        if (n_total < 0 || n_allele < 0 || n_allele > n_total || n_total > INT32_MAX)
            status = key_error(input, r, depth_key.s, "alleleReadCount", err,
                               "not between 0 and totalReadCount");
        else {
            a->depth = (int)n_total;
            if (n_total > 0) {
                a->vaf = a->vaf_ad = (double)n_allele / (double)n_total;
                a->vaf_source = CM_VAF_READ_COUNTS;
            }
        }
    }
    free(depth_key.s);
    if (status < 0)
        return -1;
    // A FILTER other than PASS (ORANGE 2.x writes "filter"), kept as the VCF reader keeps it.
    cm_slice filter;
    if (string_member(input, r, entry, key, "filter", &filter, err) < 0)
        return -1;
    a->is_pass = filter.len == 0 || cm_slice_equals(filter, "PASS") || cm_slice_equals(filter, ".");
    return 1;
}

// PURPLE's gain/deletion calls: FULL_/PARTIAL_GAIN are amplifications (PURPLE calls a gain at
// three times the sample's ploidy), FULL_/PARTIAL_DEL (LOSS in older files) homozygous
// deletions (under 0.5 copies). The copies are the gene's minimum, or its maximum for a
// partial gain (only part of the gene is amplified).
static int read_gain_del(cm_input *input, orange_reader *r, const entry_list *list,
                         const json_t *entry, cm_alteration *a, cm_error *err)
{
    const char *key = r->key.s;
    a->kind = CM_ALTERATION_COPY_NUMBER;
    cm_slice interpretation;
    if (string_member(input, r, entry, key, "gene", &a->gene, err) < 0 ||
        string_member(input, r, entry, key, "chromosome", &a->chrom, err) < 0 ||
        string_member(input, r, entry, key, "transcript", &a->transcript, err) < 0 ||
        string_member(input, r, entry, key, "interpretation", &interpretation, err) < 0)
        return -1;
    if (a->gene.len == 0)
        return key_error(input, r, key, "gene", err, "missing (a gain or deletion names a gene)");
    int partial = 0;
    if (cm_slice_equals(interpretation, "FULL_GAIN") ||
        (partial = cm_slice_equals(interpretation, "PARTIAL_GAIN")))
        a->cnv = CM_CNV_AMPLIFICATION;
    else if (cm_slice_equals(interpretation, "FULL_DEL") ||
             cm_slice_equals(interpretation, "PARTIAL_DEL") ||
             cm_slice_equals(interpretation, "FULL_LOSS") ||
             cm_slice_equals(interpretation, "PARTIAL_LOSS"))
        a->cnv = CM_CNV_HOMOZYGOUS_DELETION;
    else {
        input->skipped[r->skip_unknown_class].value++;
        return 0;
    }
    const char *name = partial ? "maxCopyNumber" : "minCopyNumber";
    const char *older = partial ? "maxCopies" : "minCopies";
    json_t *copies;
    if (member(input, r, entry, key, name, JSON_REAL, &copies, err) < 0 ||
        (!copies && member(input, r, entry, key, (name = older), JSON_REAL, &copies, err) < 0))
        return -1;
    if (copies) {
        double value = json_number_value(copies);
        if (!isfinite(value) || value < 0)
            return key_error(input, r, key, name, err, "not a non-negative number");
        a->copy_number = value;
    }
    a->transcript_flags = a->transcript.len ? CM_TRANSCRIPT_CANONICAL : 0;
    // A near-reportable gain is under PURPLE's own threshold: its copies alone are given, for
    // the protocol's thresholds to class.
    if (strcmp(list->name, "nearReportableSomaticGains") == 0)
        a->cnv = 0;
    return 1;
}

// An integer member that must be there, under either name. Returns 0, or -1 (err filled).
static int integer_either(cm_input *input, orange_reader *r, const json_t *entry, const char *key,
                          const char *name, long long *out, cm_error *err)
{
    json_t *value;
    int got = member(input, r, entry, key, name, JSON_INTEGER, &value, err);
    if (got < 0)
        return -1;
    if (got == 0)
        return key_error(input, r, key, name, err, "missing (an EXON_DEL_DUP fusion needs it)");
    *out = (long long)json_integer_value(value);
    if (*out < 1 || *out > 100000)
        return key_error(input, r, key, name, err, "not an exon number");
    return 0;
}

// A fusion within one gene: its reportedType (2022: type) EXON_DEL_DUP is the gene's exon
// deletion or duplication (cm_linx_exon_event()), read as a small alteration; any other, or
// one that loses or gains no whole exon, is counted (fusion_same_gene). Returns 1, 0, or -1.
static int exon_event(cm_input *input, orange_reader *r, const json_t *entry, int in_frame,
                      cm_alteration *a, cm_error *err)
{
    const char *key = r->key.s;
    cm_slice type, context_up, context_down;
    long long up, down;
    if (string_either(input, r, entry, key, "reportedType", "type", &type, err) < 0)
        return -1;
    if (!cm_slice_equals(type, "EXON_DEL_DUP")) {
        input->skipped[r->skip_same_gene].value++;
        return 0;
    }
    if (integer_either(input, r, entry, key, "fusedExonUp", &up, err) < 0 ||
        integer_either(input, r, entry, key, "fusedExonDown", &down, err) < 0 ||
        string_either(input, r, entry, key, "contextUp", "geneContextStart", &context_up, err) <
            0 ||
        string_either(input, r, entry, key, "contextDown", "geneContextEnd", &context_down, err) <
            0)
        return -1;
    if (!cm_linx_exon_event(up, down, context_up, context_down, a)) {
        input->skipped[r->skip_same_gene].value++;
        return 0;
    }
    a->kind = CM_ALTERATION_SMALL;
    a->partner = (cm_slice){NULL, 0};
    a->transcript_flags = a->transcript.len ? CM_TRANSCRIPT_CANONICAL : 0;
    a->in_frame = in_frame;
    a->messages = type;
    return 1;
}

// A LINX fusion: geneUp/geneDown (ORANGE 2.x on) or geneStart/geneEnd (2022); the 5' gene is
// the alteration's gene. A side in no gene is "intergenic". phased INFRAME or SKIPPED_EXONS
// (in frame once the exons are skipped) is in frame, OUT_OF_FRAME is not.
static int read_fusion(cm_input *input, orange_reader *r, const json_t *entry, cm_alteration *a,
                       cm_error *err)
{
    const char *key = r->key.s;
    a->kind = CM_ALTERATION_FUSION;
    cm_slice phased;
    if (string_either(input, r, entry, key, "geneUp", "geneStart", &a->gene, err) < 0 ||
        string_either(input, r, entry, key, "geneDown", "geneEnd", &a->partner, err) < 0 ||
        string_either(input, r, entry, key, "transcriptUp", "geneTranscriptStart", &a->transcript,
                      err) < 0 ||
        string_member(input, r, entry, key, "phased", &phased, err) < 0)
        return -1;
    if (a->gene.len == 0 && a->partner.len == 0) {
        input->skipped[r->skip_no_genes].value++;
        return 0;
    }
    int in_frame = cm_slice_equals(phased, "INFRAME") || cm_slice_equals(phased, "SKIPPED_EXONS")
                       ? 1
                   : cm_slice_equals(phased, "OUT_OF_FRAME") ? 0
                                                             : -1;
    if (a->gene.len == a->partner.len && memcmp(a->gene.s, a->partner.s, (size_t)a->gene.len) == 0)
        return exon_event(input, r, entry, in_frame, a, err);
    if (a->gene.len == 0)
        a->gene = (cm_slice){"intergenic", 10};
    if (a->partner.len == 0)
        a->partner = (cm_slice){"intergenic", 10};
    a->is_five_prime = 1;
    a->in_frame = in_frame;
    return 1;
}

/* ---- The reader ---- */

// jansson reads the file through BGZF: plain, gzip or BGZF text alike.
static size_t bgzf_chunk(void *buffer, size_t size, void *data)
{
    ssize_t got = bgzf_read((BGZF *)data, buffer, size);
    return got < 0 ? (size_t)-1 : (size_t)got;
}

static int orange_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    (void)options;
    orange_reader *r = calloc(1, sizeof *r);
    if (!r)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = r;
    int germline = cm_input_declare_skip(input, "germline_variant");
    int unknown_class = cm_input_declare_skip(input, "gain_del_unknown_interpretation");
    int no_genes = cm_input_declare_skip(input, "fusion_without_genes");
    int twice = cm_input_declare_skip(input, "listed_twice");
    int same_gene = cm_input_declare_skip(input, "fusion_same_gene");
    if (germline < 0 || unknown_class < 0 || no_genes < 0 || twice < 0 || same_gene < 0 ||
        !(r->seen = kh_init(orange_seen)))
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    r->skip_twice = twice;
    r->skip_germline = germline;
    r->skip_unknown_class = unknown_class;
    r->skip_no_genes = no_genes;
    r->skip_same_gene = same_gene;
    BGZF *fp = bgzf_open(input->path, "r");
    if (!fp)
        return cm_error_set(err, input->path, 0, 0, "cannot open");
    json_error_t error;
    r->root = json_load_callback(bgzf_chunk, fp, JSON_REJECT_DUPLICATES, &error);
    bgzf_close(fp);
    if (!r->root)
        return cm_error_set(err, input->path, error.line > 0 ? error.line : 0,
                            error.line > 0 && error.column > 0 ? error.column : 0, "%s",
                            error.text);
    if (!json_is_object(r->root))
        return cm_error_set(err, input->path, 0, 0, "%s, not an ORANGE object", type_name(r->root));
    json_t *purple, *linx, *sample, *build;
    if (member(input, r, r->root, "", "purple", JSON_OBJECT, &purple, err) < 0 ||
        member(input, r, r->root, "", "linx", JSON_OBJECT, &linx, err) < 0 ||
        member(input, r, r->root, "", "sampleId", JSON_STRING, &sample, err) < 0 ||
        member(input, r, r->root, "", "refGenomeVersion", JSON_STRING, &build, err) < 0)
        return -1;
    if (!purple)
        return key_error(input, r, "purple", NULL, err,
                         "missing (an ORANGE file has PURPLE's "
                         "results)");
    if (build) {
        const char *text = json_string_value(build);
        if (strcasecmp(text, "V37") == 0 || strcasecmp(text, "HG19") == 0 ||
            strcasecmp(text, "GRCh37") == 0)
            input->build = CM_BUILD_GRCH37;
        else if (strcasecmp(text, "V38") == 0 || strcasecmp(text, "HG38") == 0 ||
                 strcasecmp(text, "GRCh38") == 0)
            input->build = CM_BUILD_GRCH38;
        else
            return key_error(input, r, "refGenomeVersion", NULL, err, "not V37 or V38");
    }
    if (cm_input_add_sample(input, sample ? json_string_value(sample) : NULL) < 0)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    if (read_facts(input, r, purple, err) < 0 ||
        add_lists(input, r, purple, "purple", variant_names, ENTRY_VARIANT, err) < 0 ||
        add_lists(input, r, purple, "purple", gain_del_names, ENTRY_GAIN_DEL, err) < 0 ||
        add_lists(input, r, linx, "linx", fusion_names, ENTRY_FUSION, err) < 0 ||
        add_lists(input, r, purple, "purple", germline_names, ENTRY_GERMLINE, err) < 0)
        return -1;
    return 0;
}

static int orange_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    orange_reader *r = input->impl;
    while (r->list < r->n_lists) {
        entry_list *list = &r->lists[r->list];
        if (r->entry >= json_array_size(list->array)) {
            r->list++;
            r->entry = 0;
            continue;
        }
        size_t index = r->entry++;
        json_t *entry = json_array_get(list->array, index);
        r->key.l = 0;
        ksprintf(&r->key, "%s.%s[%zu]", list->section, list->name, index);
        if (!r->key.s)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        if (!json_is_object(entry))
            return wrong_type(input, r, r->key.s, NULL, "an object", entry, err);
        input->stats.records++;
        cm_alteration *a = cm_input_batch(input, 1);
        if (!a)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        cm_alteration_init(a);
        int got = list->kind == ENTRY_GAIN_DEL ? read_gain_del(input, r, list, entry, a, err)
                  : list->kind == ENTRY_FUSION ? read_fusion(input, r, entry, a, err)
                                               : read_variant(input, r, entry, a, err);
        if (got < 0)
            return -1;
        if (got == 0)
            continue;
        // The same entry in two lists of one generation is read once: a variant is its
        // position and alleles; a gain/deletion or fusion is its whole entry, so that two
        // fusions of one gene pair (another frame, other exons) are both read.
        r->identity.l = 0;
        if (list->kind == ENTRY_VARIANT || list->kind == ENTRY_GERMLINE) {
            ksprintf(&r->identity, "%c\t%.*s\t%lld\t%.*s\t%.*s",
                     list->kind == ENTRY_GERMLINE ? 'G' : 'S', a->chrom.len, a->chrom.s,
                     (long long)a->pos, a->ref.len, a->ref.s, a->alt.len, a->alt.s);
        } else {
            char *text = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
            if (!text)
                return cm_error_set(err, input->path, 0, 0, "out of memory");
            ksprintf(&r->identity, "%c\t%s", list->kind == ENTRY_FUSION ? 'F' : 'C', text);
            free(text);
        }
        int seen = r->identity.s ? seen_before(r, &r->identity) : -1;
        if (seen < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        if (seen) {
            input->skipped[r->skip_twice].value++;
            continue;
        }
        if (list->kind == ENTRY_GERMLINE) {
            input->skipped[r->skip_germline].value++;
            continue;
        }
        a->sample = 0;
        a->input = input->index;
        a->key = (cm_slice){r->key.s, (int)r->key.l};
        *alterations = a;
        *n = 1;
        return 1;
    }
    return 0;
}

static void orange_close(cm_input *input)
{
    orange_reader *r = input->impl;
    if (!r)
        return;
    json_decref(r->root);
    if (r->seen) {
        for (khint_t k = kh_begin(r->seen); k != kh_end(r->seen); k++)
            if (kh_exist(r->seen, k))
                free((char *)kh_key(r->seen, k));
        kh_destroy(orange_seen, r->seen);
    }
    free(r->identity.s);
    free(r->key.s);
    free(r->where.s);
    free(r->terms.s);
    free(r);
    input->impl = NULL;
}

const cm_input_reader cm_input_orange = {CM_INPUT_ORANGE, orange_open, orange_next, orange_close,
                                         NULL};

/*
 * Sample profiles and sample sheets. The only module that holds the facts
 * alterations lack, and the one place that decides which source of a fact
 * wins: it keeps each fact's value with its source, applies the precedence
 * command line > sample sheet > file > computed, and records every
 * disagreement between sources as a conflict instead of resolving it
 * silently. It checks tumour types against OncoTree as it reads them, so a
 * wrong code stops the run before any matching.
 */
#include "cohortmatch/profile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/kstring.h>

static const char *const fact_key_names[CM_FACT_KEY_COUNT] = {"tumour_type", "tmb", "msi",
                                                              "mmr",         "age", "sex"};

const char *cm_fact_key_name(cm_fact_key key)
{
    return (unsigned)key < CM_FACT_KEY_COUNT ? fact_key_names[key] : "unknown";
}

const char *cm_fact_origin_name(cm_fact_origin origin)
{
    switch (origin) {
    case CM_ORIGIN_COMPUTED:
        return "computed";
    case CM_ORIGIN_FILE:
        return "file";
    case CM_ORIGIN_SAMPLE_SHEET:
        return "sample sheet";
    case CM_ORIGIN_COMMAND_LINE:
        return "command line";
    case CM_ORIGIN_NONE:
        break;
    }
    return NULL;
}

int cm_profile_init(cm_sample_profile *profile, const char *name)
{
    memset(profile, 0, sizeof *profile);
    profile->tumour_node = CM_ONCOTREE_NOT_FOUND;
    profile->tmb = NAN;
    profile->age = NAN;
    if (name && !(profile->name = strdup(name)))
        return -1;
    return 0;
}

static void free_biomarker(cm_biomarker *biomarker)
{
    free(biomarker->name);
    for (int i = 0; i < biomarker->n_values; i++)
        free(biomarker->values[i]);
    free(biomarker->values);
    free(biomarker->source.where);
}

static void free_conflict(cm_fact_conflict *conflict)
{
    free(conflict->fact);
    free(conflict->value);
    free(conflict->source);
    free(conflict->other_value);
    free(conflict->other_source);
}

void cm_profile_clear(cm_sample_profile *profile)
{
    if (!profile)
        return;
    free(profile->name);
    free(profile->tumour_type);
    profile->name = profile->tumour_type = NULL;
    for (int k = 0; k < CM_FACT_KEY_COUNT; k++) {
        free(profile->sources[k].where);
        profile->sources[k].where = NULL;
        profile->sources[k].origin = CM_ORIGIN_NONE;
    }
    for (size_t i = 0; i < profile->n_biomarkers; i++)
        free_biomarker(&profile->biomarkers[i]);
    free(profile->biomarkers);
    profile->biomarkers = NULL;
    profile->n_biomarkers = 0;
    for (size_t i = 0; i < profile->n_conflicts; i++)
        free_conflict(&profile->conflicts[i]);
    free(profile->conflicts);
    profile->conflicts = NULL;
    profile->n_conflicts = 0;
}

static char *copy_or_null(const char *text, int *failed)
{
    if (!text)
        return NULL;
    char *copy = strdup(text);
    if (!copy)
        *failed = 1;
    return copy;
}

int cm_profile_copy(cm_sample_profile *dst, const cm_sample_profile *src)
{
    int failed = 0;
    *dst = *src;
    dst->name = copy_or_null(src->name, &failed);
    dst->tumour_type = copy_or_null(src->tumour_type, &failed);
    for (int k = 0; k < CM_FACT_KEY_COUNT; k++)
        dst->sources[k].where = copy_or_null(src->sources[k].where, &failed);
    dst->biomarkers = NULL;
    dst->n_biomarkers = 0;
    dst->conflicts = NULL;
    dst->n_conflicts = 0;
    if (src->n_biomarkers &&
        !(dst->biomarkers = calloc(src->n_biomarkers, sizeof *dst->biomarkers)))
        failed = 1;
    for (size_t i = 0; dst->biomarkers && i < src->n_biomarkers; i++) {
        const cm_biomarker *from = &src->biomarkers[i];
        cm_biomarker *to = &dst->biomarkers[i];
        dst->n_biomarkers++;
        to->name = copy_or_null(from->name, &failed);
        to->number = from->number;
        to->source.origin = from->source.origin;
        to->source.where = copy_or_null(from->source.where, &failed);
        if (!(to->values = calloc((size_t)from->n_values, sizeof *to->values))) {
            failed = 1;
            continue;
        }
        for (int v = 0; v < from->n_values; v++) {
            to->values[v] = copy_or_null(from->values[v], &failed);
            to->n_values++;
        }
    }
    for (size_t i = 0; i < src->n_conflicts && !failed; i++) {
        const cm_fact_conflict *c = &src->conflicts[i];
        if (cm_profile_add_conflict(dst, c->fact, c->value, c->source, c->other_value,
                                    c->other_source) < 0)
            failed = 1;
    }
    if (failed) {
        cm_profile_clear(dst);
        return -1;
    }
    return 0;
}

int cm_profile_set_tumour_type(cm_sample_profile *profile, const cm_oncotree *tree,
                               const char *code, const char *source, int line, cm_error *err)
{
    int node = cm_oncotree_find(tree, code);
    if (node < 0) {
        // A meta-code (SOLID/LIQUID) is a set of types, not a patient's tumour type.
        kstring_t hint = {0, 0, NULL};
        if (node == CM_ONCOTREE_NOT_FOUND && cm_oncotree_suggest(tree, code, 3, &hint) > 0) {
            cm_error_set(err, source, line, 0, "unknown OncoTree code '%s' (did you mean %s?)",
                         code, hint.s);
        } else if (node == CM_ONCOTREE_NOT_FOUND) {
            cm_error_set(err, source, line, 0, "unknown OncoTree code '%s'", code);
        } else {
            cm_error_set(err, source, line, 0,
                         "'%s' is a group of tumour types; give the patient's OncoTree code", code);
        }
        free(hint.s);
        return -1;
    }
    char *copy = strdup(cm_oncotree_code(tree, node));
    if (!copy)
        return cm_error_set(err, source, line, 0, "out of memory");
    free(profile->tumour_type);
    profile->tumour_type = copy;
    profile->tumour_node = node;
    return 0;
}

#define WORD_PARSER(function, type, first_word, first_value, second_word, second_value)            \
    int function(const char *text, type *out)                                                      \
    {                                                                                              \
        if (strcmp(text, first_word) == 0)                                                         \
            *out = first_value;                                                                    \
        else if (strcmp(text, second_word) == 0)                                                   \
            *out = second_value;                                                                   \
        else                                                                                       \
            return -1;                                                                             \
        return 0;                                                                                  \
    }

WORD_PARSER(cm_msi_parse, cm_msi_status, "high", CM_MSI_HIGH, "stable", CM_MSI_STABLE)
WORD_PARSER(cm_mmr_parse, cm_mmr_status, "deficient", CM_MMR_DEFICIENT, "proficient",
            CM_MMR_PROFICIENT)
WORD_PARSER(cm_sex_parse, cm_sex, "female", CM_SEX_FEMALE, "male", CM_SEX_MALE)

const char *cm_msi_name(cm_msi_status msi)
{
    return msi == CM_MSI_HIGH ? "high" : msi == CM_MSI_STABLE ? "stable" : NULL;
}

const char *cm_mmr_name(cm_mmr_status mmr)
{
    return mmr == CM_MMR_DEFICIENT ? "deficient" : mmr == CM_MMR_PROFICIENT ? "proficient" : NULL;
}

const char *cm_sex_name(cm_sex sex)
{
    return sex == CM_SEX_FEMALE ? "female" : sex == CM_SEX_MALE ? "male" : NULL;
}

/* ---- Facts and their sources ---- */

static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(value) || value < 0)
        return -1;
    *out = value;
    return 0;
}

// A number as reports print it: at most 4 decimals, trailing zeros removed.
static void format_number(double value, kstring_t *out)
{
    char buffer[64];
    snprintf(buffer, sizeof buffer, "%.4f", value);
    char *end = buffer + strlen(buffer);
    while (end > buffer && end[-1] == '0')
        end--;
    if (end > buffer && end[-1] == '.')
        end--;
    *end = '\0';
    kputs(strcmp(buffer, "-0") == 0 ? "0" : buffer, out);
}

// Numbers agree when they are equal once rounded to 2 decimals (how TMB and age print).
static int numbers_agree(double a, double b)
{
    return llround(a * 100.0) == llround(b * 100.0);
}

static int key_of(const char *name)
{
    if (strcasecmp(name, "tumor_type") == 0)
        return CM_FACT_TUMOUR_TYPE;
    for (int k = 0; k < CM_FACT_KEY_COUNT; k++)
        if (strcasecmp(name, fact_key_names[k]) == 0)
            return k;
    return -1;
}

static int valid_biomarker_name(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return 0;
    return 1;
}

static int biomarker_index(const cm_sample_profile *profile, const char *name, int *found)
{
    size_t low = 0, high = profile->n_biomarkers;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        int c = strcasecmp(profile->biomarkers[mid].name, name);
        if (c == 0) {
            *found = 1;
            return (int)mid;
        }
        if (c < 0)
            low = mid + 1;
        else
            high = mid;
    }
    *found = 0;
    return (int)low;
}

const cm_biomarker *cm_profile_biomarker(const cm_sample_profile *profile, const char *name)
{
    int found;
    int i = biomarker_index(profile, name, &found);
    return found ? &profile->biomarkers[i] : NULL;
}

// The text of a built-in fact as reports print it; appends nothing when it is not given.
static void key_text(const cm_sample_profile *profile, int key, kstring_t *out)
{
    const char *word = NULL;
    switch (key) {
    case CM_FACT_TUMOUR_TYPE:
        word = profile->tumour_type;
        break;
    case CM_FACT_TMB:
        if (!isnan(profile->tmb))
            format_number(profile->tmb, out);
        return;
    case CM_FACT_AGE:
        if (!isnan(profile->age))
            format_number(profile->age, out);
        return;
    case CM_FACT_MSI:
        word = cm_msi_name(profile->msi);
        break;
    case CM_FACT_MMR:
        word = cm_mmr_name(profile->mmr);
        break;
    case CM_FACT_SEX:
        word = cm_sex_name(profile->sex);
        break;
    default:
        break;
    }
    if (word)
        kputs(word, out);
}

static void biomarker_text(const cm_biomarker *biomarker, kstring_t *out)
{
    for (int i = 0; i < biomarker->n_values; i++) {
        if (i)
            kputc(',', out);
        if (biomarker->n_values == 1 && !isnan(biomarker->number))
            format_number(biomarker->number, out);
        else
            kputs(biomarker->values[i], out);
    }
}

int cm_profile_fact_text(const cm_sample_profile *profile, const char *name, kstring_t *out)
{
    size_t before = out->l;
    int key = key_of(name);
    if (key >= 0) {
        key_text(profile, key, out);
    } else {
        const cm_biomarker *biomarker = cm_profile_biomarker(profile, name);
        if (biomarker)
            biomarker_text(biomarker, out);
    }
    return out->l > before;
}

const cm_fact_source *cm_profile_fact_source(const cm_sample_profile *profile, const char *name)
{
    int key = key_of(name);
    if (key >= 0)
        return profile->sources[key].origin != CM_ORIGIN_NONE ? &profile->sources[key] : NULL;
    const cm_biomarker *biomarker = cm_profile_biomarker(profile, name);
    return biomarker ? &biomarker->source : NULL;
}

int cm_profile_add_conflict(cm_sample_profile *profile, const char *fact, const char *value,
                            const char *source, const char *other_value, const char *other_source)
{
    cm_fact_conflict *conflicts =
        realloc(profile->conflicts, (profile->n_conflicts + 1) * sizeof *conflicts);
    if (!conflicts)
        return -1;
    profile->conflicts = conflicts;
    cm_fact_conflict *c = &conflicts[profile->n_conflicts];
    int failed = 0;
    c->fact = copy_or_null(fact ? fact : "", &failed);
    c->value = copy_or_null(value ? value : "", &failed);
    c->source = copy_or_null(source ? source : "", &failed);
    c->other_value = copy_or_null(other_value ? other_value : "", &failed);
    c->other_source = copy_or_null(other_source ? other_source : "", &failed);
    if (failed) {
        free_conflict(c);
        return -1;
    }
    profile->n_conflicts++;
    return 0;
}

static const char *source_text(const cm_fact_source *source)
{
    if (source->where)
        return source->where;
    const char *name = cm_fact_origin_name(source->origin);
    return name ? name : "";
}

// A parsed value of a built-in fact, before it is stored.
typedef struct fact_value {
    double number;
    int word; // the enum value of msi / mmr / sex
    int node; // tumour type
    const char *code;
} fact_value;

static int parse_key_value(int key, const char *value, const cm_oncotree *tree, fact_value *out,
                           cm_error *err)
{
    switch (key) {
    case CM_FACT_TUMOUR_TYPE: {
        cm_sample_profile probe;
        cm_profile_init(&probe, NULL);
        int status = cm_profile_set_tumour_type(&probe, tree, value, NULL, 0, err);
        out->node = probe.tumour_node;
        out->code = probe.tumour_node >= 0 ? cm_oncotree_code(tree, probe.tumour_node) : NULL;
        cm_profile_clear(&probe);
        return status;
    }
    case CM_FACT_TMB:
        if (parse_number(value, &out->number) < 0)
            return cm_error_set(err, NULL, 0, 0,
                                "tmb '%s' is not a non-negative number (mutations/Mb)", value);
        return 0;
    case CM_FACT_AGE:
        if (parse_number(value, &out->number) < 0)
            return cm_error_set(err, NULL, 0, 0, "age '%s' is not a non-negative number", value);
        return 0;
    case CM_FACT_MSI: {
        cm_msi_status msi;
        if (cm_msi_parse(value, &msi) < 0)
            return cm_error_set(err, NULL, 0, 0, "msi '%s' is not 'high' or 'stable'", value);
        out->word = msi;
        return 0;
    }
    case CM_FACT_MMR: {
        cm_mmr_status mmr;
        if (cm_mmr_parse(value, &mmr) < 0)
            return cm_error_set(err, NULL, 0, 0, "mmr '%s' is not 'deficient' or 'proficient'",
                                value);
        out->word = mmr;
        return 0;
    }
    case CM_FACT_SEX: {
        cm_sex sex;
        if (cm_sex_parse(value, &sex) < 0)
            return cm_error_set(err, NULL, 0, 0, "sex '%s' is not 'female' or 'male'", value);
        out->word = sex;
        return 0;
    }
    }
    return cm_error_set(err, NULL, 0, 0, "unknown fact");
}

static int key_values_agree(const cm_sample_profile *profile, int key, const fact_value *value)
{
    switch (key) {
    case CM_FACT_TUMOUR_TYPE:
        return profile->tumour_node == value->node;
    case CM_FACT_TMB:
        return numbers_agree(profile->tmb, value->number);
    case CM_FACT_AGE:
        return numbers_agree(profile->age, value->number);
    case CM_FACT_MSI:
        return (int)profile->msi == value->word;
    case CM_FACT_MMR:
        return (int)profile->mmr == value->word;
    default:
        return (int)profile->sex == value->word;
    }
}

static int store_key_value(cm_sample_profile *profile, int key, const fact_value *value)
{
    switch (key) {
    case CM_FACT_TUMOUR_TYPE: {
        char *copy = strdup(value->code);
        if (!copy)
            return -1;
        free(profile->tumour_type);
        profile->tumour_type = copy;
        profile->tumour_node = value->node;
        return 0;
    }
    case CM_FACT_TMB:
        profile->tmb = value->number;
        return 0;
    case CM_FACT_AGE:
        profile->age = value->number;
        return 0;
    case CM_FACT_MSI:
        profile->msi = (cm_msi_status)value->word;
        return 0;
    case CM_FACT_MMR:
        profile->mmr = (cm_mmr_status)value->word;
        return 0;
    default:
        profile->sex = (cm_sex)value->word;
        return 0;
    }
}

// The text of a built-in value not (yet) stored, as key_text() would print it.
static void value_text(int key, const fact_value *value, kstring_t *out)
{
    switch (key) {
    case CM_FACT_TUMOUR_TYPE:
        kputs(value->code, out);
        return;
    case CM_FACT_TMB:
    case CM_FACT_AGE:
        format_number(value->number, out);
        return;
    case CM_FACT_MSI:
        kputs(cm_msi_name((cm_msi_status)value->word), out);
        return;
    case CM_FACT_MMR:
        kputs(cm_mmr_name((cm_mmr_status)value->word), out);
        return;
    default:
        kputs(cm_sex_name((cm_sex)value->word), out);
    }
}

static int set_source(cm_fact_source *source, cm_fact_origin origin, const char *where)
{
    char *copy = where ? strdup(where) : NULL;
    if (where && !copy)
        return -1;
    free(source->where);
    source->where = copy;
    source->origin = origin;
    return 0;
}

// Records the disagreement of the kept value (kept_text, kept) and the one that lost.
static int conflict(cm_sample_profile *profile, const char *fact, const char *kept_text,
                    const cm_fact_source *kept, const char *lost_text, cm_fact_origin lost_origin,
                    const char *lost_where)
{
    cm_fact_source lost = {lost_origin, (char *)lost_where};
    return cm_profile_add_conflict(profile, fact, kept_text, source_text(kept), lost_text,
                                   source_text(&lost));
}

static int offer_key(cm_sample_profile *profile, const cm_oncotree *tree, int key,
                     const char *value, cm_fact_origin origin, const char *where, cm_error *err)
{
    fact_value parsed = {NAN, 0, CM_ONCOTREE_NOT_FOUND, NULL};
    if (key < 0 || key >= CM_FACT_KEY_COUNT)
        return cm_error_set(err, NULL, 0, 0, "unknown fact");
    if (parse_key_value(key, value, tree, &parsed, err) < 0)
        return -1;
    cm_fact_source *source = &profile->sources[key];
    if (source->origin == CM_ORIGIN_NONE) {
        if (store_key_value(profile, key, &parsed) < 0 || set_source(source, origin, where) < 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        if (key == CM_FACT_TMB)
            profile->tmb_is_computed = origin == CM_ORIGIN_COMPUTED;
        return 0;
    }
    if (key_values_agree(profile, key, &parsed))
        return 0;
    kstring_t old_text = {0, 0, NULL}, new_text = {0, 0, NULL};
    key_text(profile, key, &old_text);
    value_text(key, &parsed, &new_text);
    int status = 0;
    if (origin > source->origin) {
        // The new source wins: the old value becomes the conflict's loser.
        cm_fact_source old = *source;
        old.where = old.where ? strdup(old.where) : NULL;
        cm_fact_source winner = {origin, (char *)where};
        status = store_key_value(profile, key, &parsed) < 0 ||
                         cm_profile_add_conflict(profile, fact_key_names[key], new_text.s,
                                                 source_text(&winner), old_text.s,
                                                 source_text(&old)) < 0 ||
                         set_source(source, origin, where) < 0
                     ? -1
                     : 0;
        if (key == CM_FACT_TMB)
            profile->tmb_is_computed = origin == CM_ORIGIN_COMPUTED;
        free(old.where);
    } else {
        status =
            conflict(profile, fact_key_names[key], old_text.s, source, new_text.s, origin, where);
    }
    free(old_text.s);
    free(new_text.s);
    return status < 0 ? cm_error_set(err, NULL, 0, 0, "out of memory") : 0;
}

static int words_agree(const cm_biomarker *biomarker, const char *value, double number)
{
    if (biomarker->n_values == 1 && !isnan(biomarker->number) && !isnan(number))
        return numbers_agree(biomarker->number, number);
    return biomarker->n_values == 1 && strcasecmp(biomarker->values[0], value) == 0;
}

static int has_value(const cm_biomarker *biomarker, const char *value)
{
    for (int i = 0; i < biomarker->n_values; i++)
        if (strcasecmp(biomarker->values[i], value) == 0)
            return 1;
    return 0;
}

static int same_source(const cm_fact_source *source, cm_fact_origin origin, const char *where)
{
    return source->origin == origin &&
           ((!source->where && !where) ||
            (source->where && where && strcmp(source->where, where) == 0));
}

static int set_biomarker_value(cm_biomarker *biomarker, const char *value, double number)
{
    char **values = malloc(sizeof *values);
    char *copy = strdup(value);
    if (!values || !copy) {
        free(values);
        free(copy);
        return -1;
    }
    for (int i = 0; i < biomarker->n_values; i++)
        free(biomarker->values[i]);
    free(biomarker->values);
    values[0] = copy;
    biomarker->values = values;
    biomarker->n_values = 1;
    biomarker->number = number;
    return 0;
}

static int offer_biomarker(cm_sample_profile *profile, const char *name, const char *value,
                           cm_fact_origin origin, const char *where, cm_error *err)
{
    if (!valid_biomarker_name(name))
        return cm_error_set(err, NULL, 0, 0,
                            "biomarker name '%s' is not letters, digits, '_', '-' or '.'", name);
    if (!*value)
        return cm_error_set(err, NULL, 0, 0, "biomarker '%s' has an empty value", name);
    double number = NAN;
    if (parse_number(value, &number) < 0)
        number = NAN;
    int found;
    int i = biomarker_index(profile, name, &found);
    if (!found) {
        cm_biomarker *grown =
            realloc(profile->biomarkers, (profile->n_biomarkers + 1) * sizeof *grown);
        if (!grown)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        profile->biomarkers = grown;
        memmove(&grown[i + 1], &grown[i], (profile->n_biomarkers - (size_t)i) * sizeof *grown);
        cm_biomarker *biomarker = &grown[i];
        memset(biomarker, 0, sizeof *biomarker);
        profile->n_biomarkers++;
        biomarker->name = strdup(name);
        if (!biomarker->name || set_biomarker_value(biomarker, value, number) < 0 ||
            set_source(&biomarker->source, origin, where) < 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        for (char *p = biomarker->name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        return 0;
    }
    cm_biomarker *biomarker = &profile->biomarkers[i];
    if (same_source(&biomarker->source, origin, where)) {
        // One source giving several values: a list (mutational signatures).
        if (has_value(biomarker, value))
            return 0;
        char **values =
            realloc(biomarker->values, (size_t)(biomarker->n_values + 1) * sizeof *values);
        if (!values)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        biomarker->values = values;
        if (!(values[biomarker->n_values] = strdup(value)))
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        biomarker->n_values++;
        biomarker->number = NAN;
        return 0;
    }
    if (words_agree(biomarker, value, number))
        return 0;
    kstring_t old_text = {0, 0, NULL}, new_text = {0, 0, NULL};
    biomarker_text(biomarker, &old_text);
    if (!isnan(number))
        format_number(number, &new_text);
    else
        kputs(value, &new_text);
    int status;
    if (origin > biomarker->source.origin) {
        cm_fact_source winner = {origin, (char *)where};
        status = cm_profile_add_conflict(profile, biomarker->name, new_text.s, source_text(&winner),
                                         old_text.s, source_text(&biomarker->source)) < 0 ||
                         set_biomarker_value(biomarker, value, number) < 0 ||
                         set_source(&biomarker->source, origin, where) < 0
                     ? -1
                     : 0;
    } else {
        status = conflict(profile, biomarker->name, old_text.s, &biomarker->source, new_text.s,
                          origin, where);
    }
    free(old_text.s);
    free(new_text.s);
    return status < 0 ? cm_error_set(err, NULL, 0, 0, "out of memory") : 0;
}

int cm_profile_offer(cm_sample_profile *profile, const cm_oncotree *tree, const char *name,
                     const char *value, cm_fact_origin origin, const char *where, cm_error *err)
{
    int key = key_of(name);
    if (key >= 0)
        return offer_key(profile, tree, key, value, origin, where, err);
    return offer_biomarker(profile, name, value, origin, where, err);
}

int cm_profile_merge(cm_sample_profile *dst, const cm_sample_profile *src, const cm_oncotree *tree,
                     cm_error *err)
{
    kstring_t text = {0, 0, NULL};
    int status = 0;
    for (int key = 0; key < CM_FACT_KEY_COUNT && status == 0; key++) {
        const cm_fact_source *source = &src->sources[key];
        if (source->origin == CM_ORIGIN_NONE)
            continue;
        text.l = 0;
        key_text(src, key, &text);
        if (text.l == 0)
            continue;
        if (key == CM_FACT_TMB || key == CM_FACT_AGE) {
            // Offer the number itself, not its rounded text.
            text.l = 0;
            ksprintf(&text, "%.17g", key == CM_FACT_TMB ? src->tmb : src->age);
        }
        status = offer_key(dst, tree, key, text.s, source->origin, source->where, err);
    }
    for (size_t i = 0; i < src->n_biomarkers && status == 0; i++) {
        const cm_biomarker *biomarker = &src->biomarkers[i];
        for (int v = 0; v < biomarker->n_values && status == 0; v++)
            status = offer_biomarker(dst, biomarker->name, biomarker->values[v],
                                     biomarker->source.origin, biomarker->source.where, err);
    }
    for (size_t i = 0; i < src->n_conflicts && status == 0; i++) {
        const cm_fact_conflict *c = &src->conflicts[i];
        if (cm_profile_add_conflict(dst, c->fact, c->value, c->source, c->other_value,
                                    c->other_source) < 0)
            status = cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    free(text.s);
    return status;
}

/* ---- Sample sheets ---- */

/// Splits a line on tabs in place; returns the number of fields (at most max are stored).
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *start = line;
    for (char *p = line;; p++) {
        if (*p == '\t' || *p == '\0') {
            int is_end = *p == '\0';
            *p = '\0';
            if (n < max)
                fields[n] = start;
            n++;
            if (is_end)
                break;
            start = p + 1;
        }
    }
    return n;
}

// A sheet cell: a list biomarker (signatures) gives one value per ',' / ';' separated word.
static int offer_cell(cm_sample_profile *row, const cm_oncotree *tree, const char *column,
                      char *value, const char *where, cm_error *err)
{
    if (*value == '\0' || strcmp(value, ".") == 0)
        return 0;
    if (strcasecmp(column, "signatures") != 0)
        return cm_profile_offer(row, tree, column, value, CM_ORIGIN_SAMPLE_SHEET, where, err);
    for (char *word = strtok(value, ",;"); word; word = strtok(NULL, ",;")) {
        while (*word == ' ')
            word++;
        size_t len = strlen(word);
        while (len > 0 && word[len - 1] == ' ')
            word[--len] = '\0';
        if (len &&
            cm_profile_offer(row, tree, column, word, CM_ORIGIN_SAMPLE_SHEET, where, err) < 0)
            return -1;
    }
    return 0;
}

int cm_sample_sheet_load(cm_sample_sheet *sheet, const char *path, const cm_oncotree *tree,
                         cm_error *err)
{
    memset(sheet, 0, sizeof *sheet);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cm_error_set(err, path, 0, 0, "cannot open the sample sheet: %s", strerror(errno));
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int line_number = 0, n_columns = 0, n_names = 0, status = 0, sample_column = -1;
    char **names = NULL; // the header's column names
    char **fields = NULL;
    size_t m_rows = 0;
    kstring_t where = {0, 0, NULL};
    while (status == 0 && (length = getline(&line, &capacity, fp)) >= 0) {
        line_number++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
            line[--length] = '\0';
        // A spreadsheet saving "UTF-8 text" starts the file with a byte-order mark, which
        // would make the first column 'sample' with three invisible bytes before it.
        char *text = line;
        if (line_number == 1 && length >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            text += 3;
            length -= 3;
        }
        if (length == 0 || text[0] == '#')
            continue;
        int n = 1;
        for (const char *p = text; *p; p++)
            n += *p == '\t';
        if (n_columns == 0) { // the header line
            names = calloc((size_t)n, sizeof *names);
            fields = calloc((size_t)n + 1, sizeof *fields);
            if (!names || !fields) {
                status = cm_error_set(err, path, line_number, 0, "out of memory");
                break;
            }
            n_names = n;
            split_tabs(text, fields, n);
            for (int i = 0; i < n && status == 0; i++) {
                if (!(names[i] = strdup(fields[i]))) {
                    status = cm_error_set(err, path, line_number, 0, "out of memory");
                    break;
                }
                int is_sample = strcasecmp(fields[i], "sample") == 0;
                if (is_sample)
                    sample_column = i;
                int key = is_sample ? -2 : key_of(fields[i]);
                for (int k = 0; k < i && status == 0; k++) {
                    int other = strcasecmp(names[k], "sample") == 0 ? -2 : key_of(names[k]);
                    if ((key != -1 && key == other) || strcasecmp(names[k], fields[i]) == 0)
                        status =
                            cm_error_set(err, path, line_number, 0, "column '%s' twice", fields[i]);
                }
                if (status == 0 && key == -1 && !valid_biomarker_name(fields[i]))
                    status = cm_error_set(err, path, line_number, 0,
                                          "column '%s': a biomarker name is letters, digits, "
                                          "'_', '-' or '.' (known columns: sample, tumour_type, "
                                          "tmb, msi, mmr, age, sex)",
                                          fields[i]);
            }
            if (status == 0 && sample_column < 0)
                status =
                    cm_error_set(err, path, line_number, 0, "the header has no 'sample' column");
            n_columns = n;
            continue;
        }
        if (n != n_columns) {
            status = cm_error_set(err, path, line_number, 0, "%d columns, the header has %d", n,
                                  n_columns);
            break;
        }
        split_tabs(text, fields, n);
        if (sheet->n == m_rows) {
            m_rows = m_rows ? m_rows * 2 : 16;
            cm_sample_profile *rows = realloc(sheet->rows, m_rows * sizeof *rows);
            if (!rows) {
                status = cm_error_set(err, path, line_number, 0, "out of memory");
                break;
            }
            sheet->rows = rows;
        }
        cm_sample_profile *row = &sheet->rows[sheet->n];
        const char *name = fields[sample_column];
        if (!*name) {
            status = cm_error_set(err, path, line_number, 0, "empty sample name");
            break;
        }
        if (cm_sample_sheet_find(sheet, name)) {
            status = cm_error_set(err, path, line_number, 0, "sample '%s' is listed twice", name);
            break;
        }
        if (cm_profile_init(row, name) < 0) {
            status = cm_error_set(err, path, line_number, 0, "out of memory");
            break;
        }
        sheet->n++;
        where.l = 0;
        const char *slash = strrchr(path, '/'); // sources name a file without its folders
        ksprintf(&where, "%s:%d", slash ? slash + 1 : path, line_number);
        for (int i = 0; i < n && status == 0; i++) {
            if (i == sample_column)
                continue;
            status = offer_cell(row, tree, names[i], fields[i], where.s, err);
            if (status < 0)
                cm_error_locate(err, path, line_number);
        }
    }
    if (status == 0 && ferror(fp))
        status = cm_error_set(err, path, 0, 0, "cannot read the sample sheet: %s", strerror(errno));
    if (status == 0 && n_columns == 0)
        status = cm_error_set(err, path, 0, 0, "empty sample sheet (a header line is needed)");
    for (int i = 0; names && i < n_names; i++)
        free(names[i]);
    free(names);
    free(fields);
    free(where.s);
    free(line);
    fclose(fp);
    if (status != 0)
        cm_sample_sheet_free(sheet);
    return status;
}

const cm_sample_profile *cm_sample_sheet_find(const cm_sample_sheet *sheet, const char *sample)
{
    for (size_t i = 0; i < sheet->n; i++)
        if (strcmp(sheet->rows[i].name, sample) == 0)
            return &sheet->rows[i];
    return NULL;
}

void cm_sample_sheet_free(cm_sample_sheet *sheet)
{
    if (!sheet)
        return;
    for (size_t i = 0; i < sheet->n; i++)
        cm_profile_clear(&sheet->rows[i]);
    free(sheet->rows);
    sheet->rows = NULL;
    sheet->n = 0;
}

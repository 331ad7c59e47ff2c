/*
 * The loader's values: scalars (text, numbers, booleans, words of a closed set,
 * OncoTree codes), lists of scalars read element by element by a cm_item_kind, and
 * the key tables (cm_field) that say for each key of a mapping how its value is read
 * and where it is stored. Every reader reports its own errors with the key's name and
 * the value's position, and returns -1 (or leaves the element out) after reporting.
 */
#include "load_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- scalar values ---------------------------------------------------------------------- */

char *cm_load_copy(cm_loader *L, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        L->out_of_memory = 1;
    return copy;
}

// A text value. Returns it (borrowed from the document), or NULL after reporting.
const char *cm_load_text(cm_loader *L, const yaml_node_t *node, const char *name)
{
    if (!node || node->type != YAML_SCALAR_NODE) {
        cm_load_error(L, node, "'%s' must be a string", name);
        return NULL;
    }
    if (cm_load_is_null(node)) {
        cm_load_error(L, node, "'%s' is empty", name);
        return NULL;
    }
    return scalar(node);
}

// Replaces *out with a copy of the text value; returns 0 or -1.
int cm_load_string(cm_loader *L, const yaml_node_t *node, const char *name, char **out)
{
    const char *text = cm_load_text(L, node, name);
    if (!text)
        return -1;
    free(*out);
    *out = cm_load_copy(L, text);
    return *out ? 0 : -1;
}

// Moves *p past an optional sign.
static void skip_sign(const char **p)
{
    if (**p == '+' || **p == '-')
        (*p)++;
}

// Moves *p past decimal digits; returns how many.
static int skip_digits(const char **p)
{
    int n = 0;
    for (; isdigit((unsigned char)**p); (*p)++)
        n++;
    return n;
}

// A decimal number: sign, digits, fraction, exponent; no hex, inf or nan.
static int parse_number(const char *text, double *out)
{
    const char *p = text;
    skip_sign(&p);
    int digits = skip_digits(&p);
    if (*p == '.') {
        p++;
        digits += skip_digits(&p);
    }
    if (!digits)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        skip_sign(&p);
        if (!skip_digits(&p))
            return -1;
    }
    if (*p)
        return -1;
    errno = 0;
    double value = strtod(text, NULL);
    if (errno || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}

int cm_load_parse_whole(const char *text, long long *out)
{
    const char *p = text;
    skip_sign(&p);
    if (!skip_digits(&p) || *p)
        return -1;
    errno = 0;
    long long value = strtoll(text, NULL, 10);
    if (errno)
        return -1;
    *out = value;
    return 0;
}

// A number in [min, max] (max may be INFINITY). Returns 0, or -1 after reporting.
int cm_load_number(cm_loader *L, const yaml_node_t *node, const char *name, double min, double max,
                   double *out)
{
    double value;
    const char *text = scalar(node);
    if (text && !cm_load_is_null(node) && parse_number(text, &value) == 0 && value >= min &&
        value <= max) {
        *out = value;
        return 0;
    }
    if (isinf(max))
        cm_load_error(L, node, "'%s' must be a number >= %g", name, min);
    else
        cm_load_error(L, node, "'%s' must be a number between %g and %g", name, min, max);
    return -1;
}

// A whole number >= min. Returns 0, or -1 after reporting.
int cm_load_whole(cm_loader *L, const yaml_node_t *node, const char *name, int min, int *out)
{
    long long value;
    const char *text = scalar(node);
    if (text && !cm_load_is_null(node) && cm_load_parse_whole(text, &value) == 0 && value >= min &&
        value <= INT_MAX) {
        *out = (int)value;
        return 0;
    }
    cm_load_error(L, node, "'%s' must be a whole number >= %d", name, min);
    return -1;
}

int cm_load_bool(cm_loader *L, const yaml_node_t *node, const char *name, int *out)
{
    const char *text = scalar(node);
    if (text && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (strcmp(text, "true") == 0 || strcmp(text, "True") == 0 || strcmp(text, "TRUE") == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(text, "false") == 0 || strcmp(text, "False") == 0 ||
            strcmp(text, "FALSE") == 0) {
            *out = 0;
            return 0;
        }
    }
    cm_load_error(L, node, "'%s' must be true or false", name);
    return -1;
}

// One of options (case-insensitive). Returns its index, or -1 after reporting
// "'name' must be a, b or c".
int cm_load_choice(cm_loader *L, const yaml_node_t *node, const char *name,
                   const char *const *options, int n)
{
    const char *text = scalar(node);
    if (text)
        for (int i = 0; i < n; i++)
            if (strcasecmp(text, options[i]) == 0)
                return i;
    kstring_t list = {0, 0, NULL};
    for (int i = 0; i < n; i++) {
        if (i > 0)
            kputs(i == n - 1 ? " or " : ", ", &list);
        kputs(options[i], &list);
    }
    cm_load_error(L, node, "'%s' must be %s", name, list.s ? list.s : "");
    free(list.s);
    return -1;
}

// A {min, max} mapping of numbers >= 0, at least one given, min <= max.
int cm_load_bounds(cm_loader *L, yaml_node_t *node, const char *name, double *min, double *max)
{
    static const char *const keys[] = {"min", "max"};
    char what[64];
    snprintf(what, sizeof what, "'%s'", name);
    if (cm_load_check_mapping(L, node, what, keys, COUNT(keys)) < 0)
        return -1;
    int failed = 0;
    char key_name[64];
    yaml_node_t *v;
    if ((v = cm_load_get(L, node, "min"))) {
        snprintf(key_name, sizeof key_name, "%s: min", name);
        failed |= cm_load_number(L, v, key_name, 0, INFINITY, min) < 0;
    }
    if ((v = cm_load_get(L, node, "max"))) {
        snprintf(key_name, sizeof key_name, "%s: max", name);
        failed |= cm_load_number(L, v, key_name, 0, INFINITY, max) < 0;
    }
    if (!cm_load_get(L, node, "min") && !cm_load_get(L, node, "max")) {
        cm_load_error(L, node, "'%s' needs min or max", name);
        return -1;
    }
    if (!failed && !isnan(*min) && !isnan(*max) && *min > *max) {
        cm_load_error(L, node, "'%s' min %g is greater than max %g", name, *min, *max);
        return -1;
    }
    return failed ? -1 : 0;
}

int cm_load_oncotree(cm_loader *L, const yaml_node_t *node, const char *name)
{
    const char *code = cm_load_text(L, node, name);
    if (!code)
        return CM_ONCOTREE_NOT_FOUND;
    const cm_oncotree *tree = L->rules->tree;
    if (!tree) {
        cm_load_error(L, node, "no OncoTree to check '%s' against", cm_load_show(L, code));
        return CM_ONCOTREE_NOT_FOUND;
    }
    int found = cm_oncotree_find(tree, code);
    if (found != CM_ONCOTREE_NOT_FOUND)
        return found;
    kstring_t suggestion = {0, 0, NULL};
    if (cm_oncotree_suggest(tree, code, 1, &suggestion) > 0 && suggestion.s)
        cm_load_error(L, node, "unknown OncoTree code '%s' (did you mean %s?)",
                      cm_load_show(L, code), suggestion.s);
    else
        cm_load_error(L, node, "unknown OncoTree code '%s'", cm_load_show(L, code));
    free(suggestion.s);
    return CM_ONCOTREE_NOT_FOUND;
}

static int is_bases(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("ACGTNacgtn", s[i]))
            return 0;
    return 1;
}

int cm_load_parse_variant(const char *text, cm_variant_parts *out)
{
    const char *c1 = strchr(text, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    const char *c3 = c2 ? strchr(c2 + 1, ':') : NULL;
    if (!c3 || strchr(c3 + 1, ':') || c1 == text)
        return -1;
    for (const char *p = text; p < c1; p++)
        if (isspace((unsigned char)*p))
            return -1;
    char pos[24];
    size_t pos_len = (size_t)(c2 - c1 - 1);
    if (pos_len == 0 || pos_len >= sizeof pos)
        return -1;
    memcpy(pos, c1 + 1, pos_len);
    pos[pos_len] = '\0';
    for (size_t i = 0; i < pos_len; i++)
        if (!isdigit((unsigned char)pos[i]))
            return -1;
    out->pos = strtoll(pos, NULL, 10);
    if (out->pos < 1)
        return -1;
    out->chrom = text;
    out->chrom_len = (size_t)(c1 - text);
    out->ref = c2 + 1;
    out->ref_len = (size_t)(c3 - c2 - 1);
    out->alt = c3 + 1;
    out->alt_len = strlen(c3 + 1);
    if (!is_bases(out->ref, out->ref_len) || !is_bases(out->alt, out->alt_len))
        return -1;
    return 0;
}

/* ---- words of a closed set --------------------------------------------------------------- */

const cm_choices cm_build_choices = {
    {"GRCh37", "GRCh38"}, {CM_BUILD_GRCH37, CM_BUILD_GRCH38}, 2, CM_BUILD_UNKNOWN};
const cm_choices cm_msi_choices = {
    {"high", "stable"}, {CM_MSI_HIGH, CM_MSI_STABLE}, 2, CM_MSI_UNSET};
const cm_choices cm_mmr_choices = {
    {"deficient", "proficient"}, {CM_MMR_DEFICIENT, CM_MMR_PROFICIENT}, 2, CM_MMR_UNSET};
const cm_choices cm_sex_choices = {
    {"female", "male"}, {CM_SEX_FEMALE, CM_SEX_MALE}, 2, CM_SEX_UNSET};

const cm_choices cm_cnv_choices = {
    {"amplification", "gain", "deletion", "homozygous_deletion"},
    {CM_CNV_AMPLIFICATION, CM_CNV_GAIN, CM_CNV_DELETION, CM_CNV_HOMOZYGOUS_DELETION},
    4,
    0};

int cm_load_enum(cm_loader *L, const yaml_node_t *node, const char *name, const cm_choices *choices)
{
    int i = cm_load_choice(L, node, name, choices->names, choices->n);
    return i < 0 ? choices->unset : choices->values[i];
}

/* ---- lists ------------------------------------------------------------------------------- */

// The i-th scalar of a value that is one scalar or a list of scalars.
static yaml_node_t *list_item(const cm_loader *L, yaml_node_t *node, int i)
{
    return node->type == YAML_SCALAR_NODE ? node : item_at(L, node, i);
}

// How many scalars a value that is one scalar or a list of scalars holds (>= 1), or -1
// after reporting what else it is. Every item is checked before any is read.
static int count_scalars(cm_loader *L, yaml_node_t *node, const char *name)
{
    if (node && node->type == YAML_SCALAR_NODE) {
        if (cm_load_is_null(node)) {
            cm_load_error(L, node, "'%s' is empty", name);
            return -1;
        }
        return 1;
    }
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        cm_load_error(L, node, "'%s' must be a value or a list of values", name);
        return -1;
    }
    int n = n_items(node);
    if (n == 0) {
        cm_load_error(L, node, "'%s' is an empty list", name);
        return -1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        yaml_node_t *item = item_at(L, node, i);
        if (item->type != YAML_SCALAR_NODE) {
            cm_load_error(L, item, "'%s' must be a value or a list of values", name);
            failed = 1;
        } else if (cm_load_is_null(item)) {
            cm_load_error(L, item, "'%s' has an empty item", name);
            failed = 1;
        }
    }
    return failed ? -1 : n;
}

int cm_load_list(cm_loader *L, yaml_node_t *node, const char *name, const cm_item_kind *kind,
                 void *destination, int *n_out)
{
    int n = count_scalars(L, node, name);
    if (n < 0)
        return -1;
    if (kind->size == 0) {
        for (int i = 0; i < n; i++)
            kind->read(L, list_item(L, node, i), name, destination, NULL, 0);
        return 0;
    }
    char *array = calloc((size_t)n, kind->size);
    if (!array) {
        L->out_of_memory = 1;
        return -1;
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        if (kind->read(L, list_item(L, node, i), name, array + (size_t)k * kind->size, array, k) >
            0)
            k++;
    // destination is a T *; copied as bytes, the way the caller's type is not named here.
    memcpy(destination, &array, sizeof array);
    *n_out = k;
    return 0;
}

static int read_text(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                     const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    char **text = element;
    *text = cm_load_copy(L, scalar(item));
    return *text != NULL;
}

const cm_item_kind cm_item_text = {sizeof(char *), read_text};

// A gene symbol: non-empty, no spaces or separators.
static int is_gene_symbol(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (isspace((unsigned char)*s) || *s == ',' || *s == ';' || *s == ':' ||
            (unsigned char)*s < 0x20)
            return 0;
    return 1;
}

static int read_gene(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                     const void *array, int n_stored)
{
    const char *symbol = scalar(item);
    if (!is_gene_symbol(symbol)) {
        cm_load_error(L, item, "'%s' must be a gene symbol, not '%s'", name,
                      cm_load_show(L, symbol));
        return 0;
    }
    return cm_load_store_gene(L, symbol, element, array, n_stored);
}

int cm_load_store_gene(cm_loader *L, const char *symbol, void *element, const void *array,
                       int n_stored)
{
    int id = cm_ruleset_intern_gene(L->rules, symbol, strlen(symbol));
    if (id < 0) {
        L->out_of_memory = 1;
        return 0;
    }
    const int *genes = array;
    for (int j = 0; j < n_stored; j++)
        if (genes[j] == id)
            return 0; // each gene once
    *(int *)element = id;
    return 1;
}

const cm_item_kind cm_item_gene = {sizeof(int), read_gene};

// "19" or "18-21" (1-based, low-high).
static int parse_range(const char *text, cm_range *out)
{
    long long a, b;
    const char *dash = strchr(text, '-');
    if (!dash) {
        if (cm_load_parse_whole(text, &a) < 0 || a < 1 || a > INT_MAX)
            return -1;
        out->min = out->max = (int)a;
        return 0;
    }
    char first[32];
    size_t n = (size_t)(dash - text);
    if (n == 0 || n >= sizeof first)
        return -1;
    memcpy(first, text, n);
    first[n] = '\0';
    if (cm_load_parse_whole(first, &a) < 0 || cm_load_parse_whole(dash + 1, &b) < 0 ||
        dash[1] == '+' || a < 1 || b < a || b > INT_MAX)
        return -1;
    out->min = (int)a;
    out->max = (int)b;
    return 0;
}

static int read_range(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                      const void *array, int n_stored)
{
    (void)array, (void)n_stored;
    if (parse_range(scalar(item), element) == 0)
        return 1;
    cm_load_error(L, item, "'%s' must be a number >= 1 or a range like 18-21, not '%s'", name,
                  cm_load_show(L, scalar(item)));
    return 0;
}

const cm_item_kind cm_item_range = {sizeof(cm_range), read_range};

static int read_oncotree(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                         const void *array, int n_stored)
{
    (void)array, (void)n_stored;
    int found = cm_load_oncotree(L, item, name);
    if (found == CM_ONCOTREE_NOT_FOUND)
        return 0;
    *(int *)element = found;
    return 1;
}

const cm_item_kind cm_item_oncotree = {sizeof(int), read_oncotree};

/* ---- key tables -------------------------------------------------------------------------- */

const cm_field *cm_field_find(const cm_field *fields, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].key, key) == 0)
            return &fields[i];
    return NULL;
}

int cm_load_check_fields(cm_loader *L, const yaml_node_t *node, const char *what,
                         const cm_field *fields, size_t n, const cm_field *more, size_t n_more)
{
    const char *names[CM_LOAD_MAX_KEYS] = {0};
    size_t n_names = 0;
    for (size_t i = 0; i < n && n_names < COUNT(names); i++)
        names[n_names++] = fields[i].key;
    for (size_t i = 0; i < n_more && n_names < COUNT(names); i++)
        names[n_names++] = more[i].key;
    return cm_load_check_mapping(L, node, what, names, n_names);
}

int cm_load_field(cm_loader *L, const cm_field *field, yaml_node_t *value, yaml_node_t *map,
                  void *destination)
{
    char *at = (char *)destination + field->at;
    const char *key = field->key;
    switch (field->type) {
    case CM_VALUE_TEXT:
        return cm_load_string(L, value, key, (char **)at);
    case CM_VALUE_SLICE: {
        const char *text = cm_load_text(L, value, key);
        if (text)
            *(cm_slice *)at = (cm_slice){text, (int)strlen(text)};
        return text ? 0 : -1;
    }
    case CM_VALUE_LIST:
        return cm_load_list(L, value, key, field->item, at,
                            (int *)((char *)destination + field->at2));
    case CM_VALUE_BITS:
        return cm_load_list(L, value, key, field->item, at, NULL);
    case CM_VALUE_NUMBER:
        return cm_load_number(L, value, key, field->min, field->max, (double *)at);
    case CM_VALUE_WHOLE:
        return cm_load_whole(L, value, key, (int)field->min, (int *)at);
    case CM_VALUE_BOOL:
        return cm_load_bool(L, value, key, (int *)at);
    case CM_VALUE_CHOICE: {
        int i = cm_load_choice(L, value, key, field->choices->names, field->choices->n);
        *(int *)at = i < 0 ? field->choices->unset : field->choices->values[i];
        return i < 0 ? -1 : 0;
    }
    case CM_VALUE_BOUNDS:
        return cm_load_bounds(L, value, key, (double *)at,
                              (double *)((char *)destination + field->at2));
    case CM_VALUE_CUSTOM: {
        int errors_before = L->n_errors;
        field->read(L, destination, value, map);
        return L->n_errors > errors_before ? -1 : 0;
    }
    }
    return -1;
}

int cm_load_fields(cm_loader *L, yaml_node_t *map, const char *what, const cm_field *fields,
                   size_t n, void *destination)
{
    int n_failed = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *value = cm_load_get(L, map, fields[i].key);
        if (value)
            n_failed += cm_load_field(L, &fields[i], value, map, destination) < 0;
        else if (fields[i].flags & CM_FIELD_REQUIRED)
            cm_load_error(L, map, "missing required key '%s' in %s", fields[i].key, what);
    }
    return n_failed;
}

int cm_load_mapping(cm_loader *L, yaml_node_t *map, const char *what, const cm_field *fields,
                    size_t n, void *destination)
{
    if (cm_load_check_fields(L, map, what, fields, n, NULL, 0) < 0)
        return -1;
    return cm_load_fields(L, map, what, fields, n, destination);
}

void *cm_load_sequence(cm_loader *L, const yaml_node_t *node, const char *name, size_t size, int *n)
{
    *n = 0;
    if (node->type != YAML_SEQUENCE_NODE) {
        cm_load_error(L, node, "'%s' must be a list", name);
        return NULL;
    }
    if (n_items(node) == 0)
        return NULL;
    void *items = calloc((size_t)n_items(node), size);
    if (!items)
        L->out_of_memory = 1;
    else
        *n = n_items(node);
    return items;
}

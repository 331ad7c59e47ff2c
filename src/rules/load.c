/*
 * The YAML rule loader: one protocol file -> the structures of rules.h.
 *
 * A file is parsed once: the libyaml event stream is composed into a
 * document tree here, refusing on the way what could hurt the walk (aliases
 * and anchors, which make YAML bombs; nesting deeper than MAX_DEPTH; several
 * documents) and reporting syntax errors. The tree is then walked in a fixed
 * order (version, protocol, defaults, named alterations, arms, tests), so
 * that arms may refer to names defined further down the file.
 *
 * Every problem becomes a diagnostic with file:line:column and the walk goes
 * on, so that one run reports all of a file's errors. A file with errors adds
 * nothing to the rule set: the leaves and gene symbols it interned are rolled
 * back. This module never prints and never exits.
 */
#include "internal.h"
#include "document.h"
#include "sha256.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#define MAX_FILE_SIZE ((size_t)16 << 20)
#define MAX_DEPTH 64
#define MAX_DIAGNOSTICS 200 // per file; the rest are counted, not listed

// Text -> index, for duplicate checks and name look-ups that must stay linear in the file.
KHASH_MAP_INIT_STR(cm_str_index, int)

typedef struct loader {
    cm_ruleset *rules;
    cm_diagnostics *diag;
    const char *file;
    const char *text;
    size_t len;
    cm_document doc;
    cm_protocol *protocol;
    int n_errors;
    int n_listed;                           // diagnostics added to diag (at most MAX_DIAGNOSTICS)
    int n_hidden_errors, n_hidden_warnings; // diagnostics past the cap
    int out_of_memory;
    khash_t(cm_str_index) * named_index; // name -> index in protocol->named
    khash_t(cm_str_index) * arm_index;   // arm id -> index in protocol->arms
    khash_t(cm_str_index) * other_arms;  // arm id -> protocol index, for earlier files
    char shown[4][96];                   // ring of quoted values for messages
    int next_shown;
} loader;

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* ---- diagnostics ------------------------------------------------------------------------- */

static void add_at(loader *L, cm_severity severity, int line, int column, const char *fmt,
                   va_list ap)
{
    if (severity == CM_SEVERITY_ERROR)
        L->n_errors++;
    if (L->n_listed >= MAX_DIAGNOSTICS) {
        if (severity == CM_SEVERITY_ERROR)
            L->n_hidden_errors++;
        else
            L->n_hidden_warnings++;
        return;
    }
    kstring_t message = {0, 0, NULL};
    if (kvsprintf(&message, fmt, ap) < 0 ||
        cm_diagnostics_add(L->diag, severity, L->file, line, column, "%s", message.s) < 0)
        L->out_of_memory = 1;
    free(message.s);
    L->n_listed++;
}

__attribute__((format(printf, 3, 4))) static void error_at(loader *L, const yaml_node_t *node,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_ERROR, node ? (int)node->start_mark.line + 1 : 0,
           node ? (int)node->start_mark.column + 1 : 0, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void warning_at(loader *L, const yaml_node_t *node,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_WARNING, node ? (int)node->start_mark.line + 1 : 0,
           node ? (int)node->start_mark.column + 1 : 0, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 4, 5))) static void error_mark(loader *L, int line, int column,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_ERROR, line, column, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 4, 5))) static void warning_mark(loader *L, int line, int column,
                                                               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_WARNING, line, column, fmt, ap);
    va_end(ap);
}

// A value as a message shows it: at most 60 bytes, control characters as '?', so that
// one diagnostic stays one line whatever the file holds.
static const char *show(loader *L, const char *value)
{
    char *out = L->shown[L->next_shown];
    L->next_shown = (L->next_shown + 1) % (int)COUNT(L->shown);
    size_t n = 0, len = strlen(value);
    for (; n < len && n < 60; n++)
        out[n] = (unsigned char)value[n] < 0x20 || value[n] == 0x7f ? '?' : value[n];
    if (n < len) {
        // Do not cut a UTF-8 sequence in two: back up to the start of a character.
        while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80)
            n--;
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* ---- suggestions ------------------------------------------------------------------------- */

// Optimal string alignment distance (edits and transpositions), case-insensitive.
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return INT_MAX;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 &&
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

// The name closest to word, or NULL when none is close enough to be a typo.
static const char *nearest(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word);
    int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    int best_distance = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        int distance = edit_distance(word, names[i]);
        if (distance < best_distance) {
            best = names[i];
            best_distance = distance;
        }
    }
    return best;
}

// " (did you mean 'x'?)" or "", in buffer.
static const char *did_you_mean(char *buffer, size_t size, const char *suggestion)
{
    if (!suggestion)
        return "";
    snprintf(buffer, size, " (did you mean '%s'?)", suggestion);
    return buffer;
}

/* ---- YAML nodes ------------------------------------------------------------------------- */

static yaml_node_t *node_at(loader *L, int id)
{
    return cm_document_node(&L->doc, id);
}

static const char *scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

// `key:` with nothing after it, `~` or `null` (plain, not quoted).
static int is_null(const yaml_node_t *node)
{
    if (!node)
        return 1;
    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = scalar(node);
    return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

static int n_pairs(const yaml_node_t *map)
{
    return (int)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static int n_items(const yaml_node_t *seq)
{
    return (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static yaml_node_t *item_at(loader *L, const yaml_node_t *seq, int i)
{
    return node_at(L, seq->data.sequence.items.start[i]);
}

static yaml_node_t *pair_key(loader *L, const yaml_node_t *map, int i)
{
    return node_at(L, map->data.mapping.pairs.start[i].key);
}

static yaml_node_t *pair_value(loader *L, const yaml_node_t *map, int i)
{
    return node_at(L, map->data.mapping.pairs.start[i].value);
}

// The value of key in map (its first occurrence), or NULL.
static yaml_node_t *get(loader *L, const yaml_node_t *map, const char *key)
{
    for (int i = 0; i < n_pairs(map); i++) {
        const char *k = scalar(pair_key(L, map, i));
        if (k && strcmp(k, key) == 0)
            return pair_value(L, map, i);
    }
    return NULL;
}

// The key node of key in map, or NULL (for positions).
static yaml_node_t *get_key(loader *L, const yaml_node_t *map, const char *key)
{
    for (int i = 0; i < n_pairs(map); i++) {
        const char *k = scalar(pair_key(L, map, i));
        if (k && strcmp(k, key) == 0)
            return pair_key(L, map, i);
    }
    return NULL;
}

// Adds key -> value unless key is there; returns the index already stored, -1 if key was
// new, or -2 when out of memory. key must outlive the index.
static int index_put(loader *L, khash_t(cm_str_index) * *index, const char *key, int value)
{
    if (!*index && !(*index = kh_init(cm_str_index))) {
        L->out_of_memory = 1;
        return -2;
    }
    int absent;
    khint_t k = kh_put(cm_str_index, *index, key, &absent);
    if (absent < 0) {
        L->out_of_memory = 1;
        return -2;
    }
    if (!absent)
        return kh_val(*index, k);
    kh_val(*index, k) = value;
    return -1;
}

static int index_get(khash_t(cm_str_index) * index, const char *key)
{
    if (!index)
        return -1;
    khint_t k = kh_get(cm_str_index, index, key);
    return k == kh_end(index) ? -1 : kh_val(index, k);
}

// Reports keys that are not text and keys written twice. kind names the entries in the
// message ("key", "named alteration").
static void check_duplicates(loader *L, const yaml_node_t *map, const char *kind)
{
    // Most mappings have a handful of keys: compare them pairwise, and hash only the
    // long ones (a pairwise check would be quadratic in the file there).
    enum { FEW_KEYS = 16 };
    khash_t(cm_str_index) *seen = NULL;
    int n = n_pairs(map);
    for (int i = 0; i < n; i++) {
        yaml_node_t *key = pair_key(L, map, i);
        const char *k = scalar(key);
        if (!k) {
            error_at(L, key, "a %s must be plain text", kind);
            continue;
        }
        int first = -1;
        if (n <= FEW_KEYS) {
            for (int j = 0; j < i && first < 0; j++) {
                const char *other = scalar(pair_key(L, map, j));
                if (other && strcmp(other, k) == 0)
                    first = j;
            }
        } else {
            first = index_put(L, &seen, k, i);
        }
        if (first >= 0)
            error_at(L, key, "duplicate %s '%s' (first at line %d)", kind, show(L, k),
                     (int)pair_key(L, map, first)->start_mark.line + 1);
    }
    if (seen)
        kh_destroy(cm_str_index, seen);
}

// Reports unknown and duplicate keys of a mapping. Returns 0 if node is a mapping, else
// reports that it must be one (what says where) and returns -1.
static int check_mapping(loader *L, const yaml_node_t *node, const char *what,
                         const char *const *allowed, size_t n_allowed)
{
    if (!node || node->type != YAML_MAPPING_NODE) {
        // Items read "an arm must be a mapping", keys "'protocol' must be a mapping".
        static const char *const items[] = {
            "arm", "cohort", "test", "test alteration", "ruled_out entry", "leaf"};
        int is_item = 0;
        for (size_t i = 0; i < COUNT(items) && !is_item; i++)
            is_item = strcmp(what, items[i]) == 0;
        if (is_item)
            error_at(L, node, "a%s %s must be a mapping of keys", what[0] == 'a' ? "n" : "", what);
        else if (what[0] == '\'')
            error_at(L, node, "%s must be a mapping of keys", what);
        else
            error_at(L, node, "'%s' must be a mapping of keys", what);
        return -1;
    }
    check_duplicates(L, node, "key");
    for (int i = 0; i < n_pairs(node); i++) {
        yaml_node_t *key = pair_key(L, node, i);
        const char *k = scalar(key);
        if (!k)
            continue;
        int known = 0;
        for (size_t a = 0; a < n_allowed && !known; a++)
            known = strcmp(k, allowed[a]) == 0;
        if (!known) {
            // Suggestions cost an edit distance per key: skip them once nothing is listed.
            char hint[128];
            const char *suggestion =
                L->n_listed < MAX_DIAGNOSTICS ? nearest(k, allowed, n_allowed) : NULL;
            error_at(L, key, "unknown key '%s' in %s%s", show(L, k), what,
                     did_you_mean(hint, sizeof hint, suggestion));
        }
    }
    return 0;
}

/* ---- scalar values ---------------------------------------------------------------------- */

static char *copy_string(loader *L, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        L->out_of_memory = 1;
    return copy;
}

// A text value. Returns it (borrowed from the document), or NULL after reporting.
static const char *text_value(loader *L, const yaml_node_t *node, const char *name)
{
    if (!node || node->type != YAML_SCALAR_NODE) {
        error_at(L, node, "'%s' must be a string", name);
        return NULL;
    }
    if (is_null(node)) {
        error_at(L, node, "'%s' is empty", name);
        return NULL;
    }
    return scalar(node);
}

// Replaces *out with a copy of the text value; returns 0 or -1.
static int string_value(loader *L, const yaml_node_t *node, const char *name, char **out)
{
    const char *text = text_value(L, node, name);
    if (!text)
        return -1;
    free(*out);
    *out = copy_string(L, text);
    return *out ? 0 : -1;
}

// A decimal number: sign, digits, fraction, exponent; no hex, inf or nan.
static int parse_number(const char *text, double *out)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
    }
    if (!digits)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
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

static int parse_whole(const char *text, long long *out)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p)
        return -1;
    errno = 0;
    long long value = strtoll(text, NULL, 10);
    if (errno)
        return -1;
    *out = value;
    return 0;
}

// A number in [min, max] (max may be INFINITY). Returns 0, or -1 after reporting.
static int number_value(loader *L, const yaml_node_t *node, const char *name, double min,
                        double max, double *out)
{
    double value;
    const char *text = scalar(node);
    if (text && !is_null(node) && parse_number(text, &value) == 0 && value >= min && value <= max) {
        *out = value;
        return 0;
    }
    if (isinf(max))
        error_at(L, node, "'%s' must be a number >= %g", name, min);
    else
        error_at(L, node, "'%s' must be a number between %g and %g", name, min, max);
    return -1;
}

// A whole number >= min. Returns 0, or -1 after reporting.
static int int_value(loader *L, const yaml_node_t *node, const char *name, int min, int *out)
{
    long long value;
    const char *text = scalar(node);
    if (text && !is_null(node) && parse_whole(text, &value) == 0 && value >= min &&
        value <= INT_MAX) {
        *out = (int)value;
        return 0;
    }
    error_at(L, node, "'%s' must be a whole number >= %d", name, min);
    return -1;
}

static int bool_value(loader *L, const yaml_node_t *node, const char *name, int *out)
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
    error_at(L, node, "'%s' must be true or false", name);
    return -1;
}

// One of options (case-insensitive). Returns its index, or -1 after reporting
// "'name' must be a, b or c".
static int choice_value(loader *L, const yaml_node_t *node, const char *name,
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
    error_at(L, node, "'%s' must be %s", name, list.s ? list.s : "");
    free(list.s);
    return -1;
}

// A value that is one scalar or a list of scalars ("any of"). Returns how many (>= 1) with
// *out pointing at a new array of the scalar nodes, or -1 after reporting.
static int scalar_items(loader *L, yaml_node_t *node, const char *name, yaml_node_t ***out)
{
    *out = NULL;
    if (node && node->type == YAML_SCALAR_NODE) {
        if (is_null(node)) {
            error_at(L, node, "'%s' is empty", name);
            return -1;
        }
        *out = malloc(sizeof **out);
        if (!*out) {
            L->out_of_memory = 1;
            return -1;
        }
        (*out)[0] = node;
        return 1;
    }
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        error_at(L, node, "'%s' must be a value or a list of values", name);
        return -1;
    }
    int n = n_items(node);
    if (n == 0) {
        error_at(L, node, "'%s' is an empty list", name);
        return -1;
    }
    yaml_node_t **items = malloc((size_t)n * sizeof *items);
    if (!items) {
        L->out_of_memory = 1;
        return -1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        items[i] = item_at(L, node, i);
        if (items[i]->type != YAML_SCALAR_NODE) {
            error_at(L, items[i], "'%s' must be a value or a list of values", name);
            failed = 1;
        } else if (is_null(items[i])) {
            error_at(L, items[i], "'%s' has an empty item", name);
            failed = 1;
        }
    }
    if (failed) {
        free(items);
        return -1;
    }
    *out = items;
    return n;
}

// A string or a list of strings, copied. Returns 0, or -1 after reporting.
static int string_list_value(loader *L, yaml_node_t *node, const char *name, char ***out,
                             int *n_out)
{
    yaml_node_t **items;
    int n = scalar_items(L, node, name, &items);
    if (n < 0)
        return -1;
    char **strings = calloc((size_t)n, sizeof *strings);
    if (!strings) {
        free(items);
        L->out_of_memory = 1;
        return -1;
    }
    for (int i = 0; i < n; i++)
        strings[i] = copy_string(L, scalar(items[i]));
    free(items);
    *out = strings;
    *n_out = n;
    return 0;
}

/* ---- shared value parsers --------------------------------------------------------------- */

static const char *const build_names[] = {"GRCh37", "GRCh38"};

static cm_genome_build build_value(loader *L, const yaml_node_t *node)
{
    int i = choice_value(L, node, "build", build_names, 2);
    return i < 0 ? CM_BUILD_UNKNOWN : i == 0 ? CM_BUILD_GRCH37 : CM_BUILD_GRCH38;
}

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

// Interns a string or list of gene symbols into *ids. Returns 0 or -1 after reporting.
static int gene_list_value(loader *L, yaml_node_t *node, const char *name, int **ids, int *n_ids)
{
    yaml_node_t **items;
    int n = scalar_items(L, node, name, &items);
    if (n < 0)
        return -1;
    int *genes = malloc((size_t)n * sizeof *genes);
    if (!genes) {
        free(items);
        L->out_of_memory = 1;
        return -1;
    }
    int k = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        const char *symbol = scalar(items[i]);
        if (!is_gene_symbol(symbol)) {
            error_at(L, items[i], "'%s' must be a gene symbol, not '%s'", name, show(L, symbol));
            failed = 1;
            continue;
        }
        int id = cm_ruleset_intern_gene(L->rules, symbol, strlen(symbol));
        if (id < 0) {
            L->out_of_memory = 1;
            failed = 1;
            continue;
        }
        int seen = 0;
        for (int j = 0; j < k && !seen; j++)
            seen = genes[j] == id;
        if (!seen)
            genes[k++] = id;
    }
    free(items);
    if (failed) {
        free(genes);
        return -1;
    }
    *ids = genes;
    *n_ids = k;
    return 0;
}

// "19" or "18-21" (1-based, low-high).
static int parse_range(const char *text, cm_range *out)
{
    long long a, b;
    const char *dash = strchr(text, '-');
    if (!dash) {
        if (parse_whole(text, &a) < 0 || a < 1 || a > INT_MAX)
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
    if (parse_whole(first, &a) < 0 || parse_whole(dash + 1, &b) < 0 || dash[1] == '+' || a < 1 ||
        b < a || b > INT_MAX)
        return -1;
    out->min = (int)a;
    out->max = (int)b;
    return 0;
}

static int range_list_value(loader *L, yaml_node_t *node, const char *name, cm_range **out,
                            int *n_out)
{
    yaml_node_t **items;
    int n = scalar_items(L, node, name, &items);
    if (n < 0)
        return -1;
    cm_range *ranges = malloc((size_t)n * sizeof *ranges);
    if (!ranges) {
        free(items);
        L->out_of_memory = 1;
        return -1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++)
        if (parse_range(scalar(items[i]), &ranges[i]) < 0) {
            error_at(L, items[i], "'%s' must be a number >= 1 or a range like 18-21, not '%s'",
                     name, show(L, scalar(items[i])));
            failed = 1;
        }
    free(items);
    if (failed) {
        free(ranges);
        return -1;
    }
    *out = ranges;
    *n_out = n;
    return 0;
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

// "chrom:pos:ref:alt" split in place into slices of text. Returns 0 or -1.
typedef struct variant_parts {
    const char *chrom, *ref, *alt;
    size_t chrom_len, ref_len, alt_len;
    long long pos;
} variant_parts;

static int parse_variant(const char *text, variant_parts *out)
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

static char *copy_upper(loader *L, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        L->out_of_memory = 1;
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        copy[i] = (char)toupper((unsigned char)s[i]);
    copy[len] = '\0';
    return copy;
}

// An OncoTree code. Returns its node, or CM_ONCOTREE_NOT_FOUND after reporting.
static int oncotree_value(loader *L, const yaml_node_t *node, const char *name)
{
    const char *code = text_value(L, node, name);
    if (!code)
        return CM_ONCOTREE_NOT_FOUND;
    const cm_oncotree *tree = L->rules->tree;
    if (!tree) {
        error_at(L, node, "no OncoTree to check '%s' against", show(L, code));
        return CM_ONCOTREE_NOT_FOUND;
    }
    int found = cm_oncotree_find(tree, code);
    if (found != CM_ONCOTREE_NOT_FOUND)
        return found;
    kstring_t suggestion = {0, 0, NULL};
    if (cm_oncotree_suggest(tree, code, 1, &suggestion) > 0 && suggestion.s)
        error_at(L, node, "unknown OncoTree code '%s' (did you mean %s?)", show(L, code),
                 suggestion.s);
    else
        error_at(L, node, "unknown OncoTree code '%s'", show(L, code));
    free(suggestion.s);
    return CM_ONCOTREE_NOT_FOUND;
}

// A {min, max} mapping of numbers >= 0, at least one given, min <= max.
static int bounds_value(loader *L, yaml_node_t *node, const char *name, double *min, double *max)
{
    static const char *const keys[] = {"min", "max"};
    char what[64];
    snprintf(what, sizeof what, "'%s'", name);
    if (check_mapping(L, node, what, keys, COUNT(keys)) < 0)
        return -1;
    int failed = 0;
    char key_name[64];
    yaml_node_t *v;
    if ((v = get(L, node, "min"))) {
        snprintf(key_name, sizeof key_name, "%s: min", name);
        failed |= number_value(L, v, key_name, 0, INFINITY, min) < 0;
    }
    if ((v = get(L, node, "max"))) {
        snprintf(key_name, sizeof key_name, "%s: max", name);
        failed |= number_value(L, v, key_name, 0, INFINITY, max) < 0;
    }
    if (!get(L, node, "min") && !get(L, node, "max")) {
        error_at(L, node, "'%s' needs min or max", name);
        return -1;
    }
    if (!failed && !isnan(*min) && !isnan(*max) && *min > *max) {
        error_at(L, node, "'%s' min %g is greater than max %g", name, *min, *max);
        return -1;
    }
    return failed ? -1 : 0;
}

/* ---- expressions ------------------------------------------------------------------------ */

static cm_expr *expr_new(loader *L, cm_expr_kind kind, const yaml_node_t *node, int n_children)
{
    cm_expr *expr = calloc(1, sizeof *expr);
    if (expr && n_children > 0) {
        expr->children = calloc((size_t)n_children, sizeof *expr->children);
        if (!expr->children) {
            free(expr);
            expr = NULL;
        }
    }
    if (!expr) {
        L->out_of_memory = 1;
        return NULL;
    }
    expr->kind = kind;
    expr->leaf = -1;
    expr->n_children = n_children;
    expr->line = (int)node->start_mark.line + 1;
    expr->column = (int)node->start_mark.column + 1;
    return expr;
}

static cm_expr *parse_expr(loader *L, yaml_node_t *node, const char *name);

// Leaf keys, grouped: what they select, what only narrows, what is about the sample.
enum leaf_key {
    K_GENE,
    K_PROTEIN,
    K_CONSEQUENCE,
    K_EXON,
    K_INTRON,
    K_HGVSC,
    K_VARIANT,
    K_COPY_NUMBER,
    K_CNV,
    K_FUSION,
    K_BUILD,
    K_MIN_VAF,
    K_MIN_DEPTH,
    K_MIN_COUNT,
    K_BIALLELIC,
    K_TMB,
    K_MSI,
    K_MMR,
    K_AGE,
    K_SEX,
    K_COUNT
};

static const char *const leaf_keys[K_COUNT] = {
    "gene",        "protein", "consequence", "exon",  "intron",  "hgvsc",     "variant",
    "copy_number", "cnv",     "fusion",      "build", "min_vaf", "min_depth", "min_count",
    "biallelic",   "tmb",     "msi",         "mmr",   "age",     "sex"};

// Every key a mapping in expression position may hold (for suggestions).
static const char *const expression_keys[K_COUNT + 3] = {
    "gene",      "protein",     "consequence", "exon",   "intron", "hgvsc",
    "variant",   "copy_number", "cnv",         "fusion", "build",  "min_vaf",
    "min_depth", "min_count",   "biallelic",   "tmb",    "msi",    "mmr",
    "age",       "sex",         "all",         "any",    "not"};

static int is_sample_key(int k)
{
    return k >= K_TMB;
}
static int is_small_variant_key(int k)
{
    return k == K_PROTEIN || k == K_CONSEQUENCE || k == K_EXON || k == K_INTRON || k == K_HGVSC ||
           k == K_VARIANT;
}
static int is_copy_number_key(int k)
{
    return k == K_COPY_NUMBER || k == K_CNV;
}

static const char *const cnv_names[] = {"amplification", "gain", "deletion", "homozygous_deletion"};
static const unsigned cnv_bits[] = {CM_CNV_AMPLIFICATION, CM_CNV_GAIN, CM_CNV_DELETION,
                                    CM_CNV_HOMOZYGOUS_DELETION};

static void leaf_proteins(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "protein", &items);
    if (n < 0)
        return;
    leaf->proteins = calloc((size_t)n, sizeof *leaf->proteins);
    if (!leaf->proteins) {
        L->out_of_memory = 1;
        free(items);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *text = scalar(items[i]);
        const char *why = NULL;
        if (cm_protein_pattern_parse(text, strlen(text), &leaf->proteins[leaf->n_proteins], &why) <
            0)
            error_at(L, items[i], "malformed protein pattern '%s': %s", show(L, text),
                     why ? why : "not HGVS p. notation");
        else
            leaf->n_proteins++;
    }
    free(items);
}

static void leaf_consequences(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "consequence", &items);
    if (n < 0)
        return;
    for (int i = 0; i < n; i++) {
        const char *text = scalar(items[i]);
        cm_consequence set = cm_consequence_rule_lookup(text, strlen(text));
        if (set == 0) {
            size_t n_names;
            const char *const *names = cm_consequence_rule_names(&n_names);
            char hint[128];
            error_at(L, items[i], "unknown consequence '%s'%s", show(L, text),
                     did_you_mean(hint, sizeof hint, nearest(text, names, n_names)));
        }
        leaf->consequences |= set;
    }
    free(items);
}

static void leaf_hgvsc(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "hgvsc", &items);
    if (n < 0)
        return;
    leaf->hgvsc = calloc((size_t)n, sizeof *leaf->hgvsc);
    if (!leaf->hgvsc) {
        L->out_of_memory = 1;
        free(items);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *text = scalar(items[i]);
        // Compared without the transcript: "NM_004333.6:c.1799T>A" keeps "c.1799T>A".
        const char *colon = strrchr(text, ':');
        const char *c = colon ? colon + 1 : text;
        if (strncmp(c, "c.", 2) != 0 || !c[2]) {
            error_at(L, items[i], "'hgvsc' must be c. notation like c.1799T>A, not '%s'",
                     show(L, text));
            continue;
        }
        leaf->hgvsc[leaf->n_hgvsc] = copy_string(L, c);
        if (leaf->hgvsc[leaf->n_hgvsc])
            leaf->n_hgvsc++;
    }
    free(items);
}

static void leaf_variants(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "variant", &items);
    if (n < 0)
        return;
    leaf->variants = calloc((size_t)n, sizeof *leaf->variants);
    if (!leaf->variants) {
        L->out_of_memory = 1;
        free(items);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *text = scalar(items[i]);
        variant_parts parts;
        if (parse_variant(text, &parts) < 0) {
            error_at(L, items[i],
                     "'variant' must be chrom:pos:ref:alt like chr7:140753336:A:T, not '%s'",
                     show(L, text));
            continue;
        }
        cm_variant_key *key = &leaf->variants[leaf->n_variants++];
        key->chrom = strndup(parts.chrom, parts.chrom_len);
        key->pos = parts.pos;
        key->ref = copy_upper(L, parts.ref, parts.ref_len);
        key->alt = copy_upper(L, parts.alt, parts.alt_len);
        if (!key->chrom)
            L->out_of_memory = 1;
    }
    free(items);
}

static void leaf_cnv(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "cnv", &items);
    if (n < 0)
        return;
    for (int i = 0; i < n; i++) {
        int c = choice_value(L, items[i], "cnv", cnv_names, (int)COUNT(cnv_names));
        if (c >= 0)
            leaf->cnv |= cnv_bits[c];
    }
    free(items);
}

static void leaf_fusion(loader *L, cm_leaf *leaf, yaml_node_t *value)
{
    static const char *const keys[] = {"gene", "partner", "in_frame"};
    leaf->is_fusion = 1;
    if (check_mapping(L, value, "fusion", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v;
    if ((v = get(L, value, "gene")))
        gene_list_value(L, v, "gene", &leaf->fusion_genes, &leaf->n_fusion_genes);
    else
        error_at(L, value, "missing required key 'gene' in fusion");
    if ((v = get(L, value, "partner")))
        gene_list_value(L, v, "partner", &leaf->fusion_partners, &leaf->n_fusion_partners);
    if ((v = get(L, value, "in_frame")))
        bool_value(L, v, "in_frame", &leaf->fusion_in_frame);
}

static cm_expr *parse_leaf(loader *L, yaml_node_t *map)
{
    int errors_before = L->n_errors;
    check_mapping(L, map, "leaf", expression_keys, COUNT(expression_keys));
    // A misspelt key already explains a leaf that seems to lack its gene or selector.
    int has_unknown_key = L->n_errors > errors_before;
    int id = cm_ruleset_add_leaf(L->rules, (int)map->start_mark.line + 1,
                                 (int)map->start_mark.column + 1);
    cm_expr *expr = expr_new(L, CM_EXPR_LEAF, map, 0);
    if (id < 0 || !expr) {
        L->out_of_memory = 1;
        free(expr);
        return NULL;
    }
    expr->leaf = id;
    cm_leaf *leaf = &L->rules->leaves[id];
    leaf->file = L->protocol->path;
    yaml_node_t *keys[K_COUNT] = {0}; // key node of each key given (first occurrence)
    cm_genome_build build = CM_BUILD_UNKNOWN;
    for (int i = 0; i < n_pairs(map); i++) {
        const char *k = scalar(pair_key(L, map, i));
        int key = -1;
        for (int j = 0; k && j < K_COUNT && key < 0; j++)
            if (strcmp(k, leaf_keys[j]) == 0)
                key = j;
        if (key < 0 || keys[key])
            continue; // unknown or duplicate: reported by check_mapping
        keys[key] = pair_key(L, map, i);
        yaml_node_t *value = pair_value(L, map, i);
        switch (key) {
        case K_GENE:
            gene_list_value(L, value, "gene", &leaf->genes, &leaf->n_genes);
            break;
        case K_PROTEIN:
            leaf_proteins(L, leaf, value);
            break;
        case K_CONSEQUENCE:
            leaf_consequences(L, leaf, value);
            break;
        case K_EXON:
            range_list_value(L, value, "exon", &leaf->exons, &leaf->n_exons);
            break;
        case K_INTRON:
            range_list_value(L, value, "intron", &leaf->introns, &leaf->n_introns);
            break;
        case K_HGVSC:
            leaf_hgvsc(L, leaf, value);
            break;
        case K_VARIANT:
            leaf_variants(L, leaf, value);
            break;
        case K_BUILD:
            build = build_value(L, value);
            break;
        case K_MIN_VAF:
            number_value(L, value, "min_vaf", 0, 1, &leaf->min_vaf);
            break;
        case K_MIN_DEPTH:
            int_value(L, value, "min_depth", 0, &leaf->min_depth);
            break;
        case K_COPY_NUMBER:
            bounds_value(L, value, "copy_number", &leaf->copy_number_min, &leaf->copy_number_max);
            break;
        case K_CNV:
            leaf_cnv(L, leaf, value);
            break;
        case K_FUSION:
            leaf_fusion(L, leaf, value);
            break;
        case K_MIN_COUNT:
            int_value(L, value, "min_count", 1, &leaf->min_count);
            break;
        case K_BIALLELIC:
            bool_value(L, value, "biallelic", &leaf->biallelic);
            break;
        case K_TMB:
            bounds_value(L, value, "tmb", &leaf->tmb_min, &leaf->tmb_max);
            break;
        case K_MSI: {
            static const char *const names[] = {"high", "stable"};
            int c = choice_value(L, value, "msi", names, 2);
            leaf->msi = c < 0 ? CM_MSI_UNSET : c == 0 ? CM_MSI_HIGH : CM_MSI_STABLE;
            break;
        }
        case K_MMR: {
            static const char *const names[] = {"deficient", "proficient"};
            int c = choice_value(L, value, "mmr", names, 2);
            leaf->mmr = c < 0 ? CM_MMR_UNSET : c == 0 ? CM_MMR_DEFICIENT : CM_MMR_PROFICIENT;
            break;
        }
        case K_AGE:
            bounds_value(L, value, "age", &leaf->age_min, &leaf->age_max);
            break;
        case K_SEX: {
            static const char *const names[] = {"female", "male"};
            int c = choice_value(L, value, "sex", names, 2);
            leaf->sex = c < 0 ? CM_SEX_UNSET : c == 0 ? CM_SEX_FEMALE : CM_SEX_MALE;
            break;
        }
        }
    }

    // Which kinds of keys the leaf mixes decides what it is, and what it may not be.
    int first_sample = -1, first_alteration = -1, first_small = -1, first_copy = -1;
    int has_selector = 0;
    for (int k = 0; k < K_COUNT; k++) {
        if (!keys[k])
            continue;
        if (is_sample_key(k)) {
            if (first_sample < 0)
                first_sample = k;
        } else if (first_alteration < 0) {
            first_alteration = k;
        }
        if (is_small_variant_key(k) && first_small < 0)
            first_small = k;
        if (is_copy_number_key(k) && first_copy < 0)
            first_copy = k;
        if (k <= K_FUSION || is_sample_key(k))
            has_selector = 1;
    }
    if (first_sample >= 0) {
        leaf->scope = CM_LEAF_SAMPLE;
        if (first_alteration >= 0)
            error_at(L, map,
                     "a leaf cannot mix sample keys ('%s') with alteration keys ('%s'); "
                     "combine them with all:",
                     leaf_keys[first_sample], leaf_keys[first_alteration]);
        return expr;
    }
    if (has_unknown_key)
        return expr;
    if (!has_selector) {
        error_at(L, map, "leaf names nothing to match (add gene, variant or fusion)");
        return expr;
    }
    if (keys[K_FUSION]) {
        for (int k = 0; k < K_FUSION; k++)
            if (keys[k])
                error_at(L, keys[k], "'%s' cannot stand beside 'fusion'%s", leaf_keys[k],
                         k == K_GENE ? " (write fusion: {gene: ...})"
                                     : "; combine two leaves with all:");
    } else if (first_small >= 0 && first_copy >= 0) {
        int later = first_small > first_copy ? first_small : first_copy;
        error_at(L, keys[later],
                 "'%s' and '%s' describe different alterations; combine two leaves with all:",
                 leaf_keys[first_copy], leaf_keys[first_small]);
    }
    if (!keys[K_GENE] && !keys[K_VARIANT] && !keys[K_FUSION]) {
        static const int need_gene[] = {K_PROTEIN, K_CONSEQUENCE, K_EXON, K_INTRON,
                                        K_HGVSC,   K_COPY_NUMBER, K_CNV,  K_BIALLELIC};
        for (size_t i = 0; i < COUNT(need_gene); i++)
            if (keys[need_gene[i]]) {
                error_at(L, keys[need_gene[i]], "'%s' needs a gene in the same leaf",
                         leaf_keys[need_gene[i]]);
                break;
            }
    }
    if (keys[K_BUILD] && !keys[K_VARIANT])
        error_at(L, keys[K_BUILD], "'build' is only allowed beside 'variant'");
    if (keys[K_VARIANT]) {
        if (build == CM_BUILD_UNKNOWN && !keys[K_BUILD])
            build = L->protocol->build;
        if (build == CM_BUILD_UNKNOWN && !keys[K_BUILD])
            error_at(L, keys[K_VARIANT],
                     "'variant' needs a genome build: add 'build: GRCh38' to the leaf or "
                     "the protocol");
        for (int i = 0; i < leaf->n_variants; i++)
            leaf->variants[i].build = build;
    }
    return expr;
}

static const cm_named_alteration *find_named(loader *L, const char *name)
{
    int i = index_get(L->named_index, name);
    return i < 0 ? NULL : &L->protocol->named[i];
}

static cm_expr *parse_reference(loader *L, yaml_node_t *node)
{
    const char *name = scalar(node);
    const cm_named_alteration *target = find_named(L, name);
    if (!target) {
        const char **names = calloc((size_t)L->protocol->n_named + 1, sizeof *names);
        for (int i = 0; names && i < L->protocol->n_named; i++)
            names[i] = L->protocol->named[i].name;
        char hint[160];
        const char *suggestion =
            names ? nearest(name, (const char *const *)names, (size_t)L->protocol->n_named) : NULL;
        if (suggestion)
            error_at(L, node, "unknown alteration '%s'%s", show(L, name),
                     did_you_mean(hint, sizeof hint, suggestion));
        else
            error_at(L, node, "unknown alteration '%s' (not defined under 'alterations:')",
                     show(L, name));
        free(names);
        return NULL;
    }
    cm_expr *expr = expr_new(L, CM_EXPR_REF, node, 0);
    if (expr)
        expr->target = target;
    return expr;
}

// `all:` / `any:` / `not:` alone in their mapping.
static cm_expr *parse_compound(loader *L, yaml_node_t *map, const char *op, yaml_node_t *value)
{
    if (n_pairs(map) != 1) {
        error_at(L, map, "'%s' must be the only key of its mapping (put leaf keys inside it)", op);
        return NULL;
    }
    if (strcmp(op, "not") == 0) {
        if (value && value->type == YAML_SEQUENCE_NODE) {
            error_at(L, value, "'not' takes one expression, not a list (write not: {any: [...]})");
            return NULL;
        }
        cm_expr *child = parse_expr(L, value, "not");
        if (!child)
            return NULL;
        cm_expr *expr = expr_new(L, CM_EXPR_NOT, map, 1);
        if (!expr) {
            cm_expr_free(child);
            return NULL;
        }
        expr->children[0] = child;
        return expr;
    }
    if (!value || value->type != YAML_SEQUENCE_NODE || n_items(value) == 0) {
        if (value && value->type == YAML_SEQUENCE_NODE)
            error_at(L, value, "'%s' needs at least one expression", op);
        else
            error_at(L, value ? value : map, "'%s' takes a list of expressions", op);
        return NULL;
    }
    int n = n_items(value);
    cm_expr *expr = expr_new(L, strcmp(op, "all") == 0 ? CM_EXPR_ALL : CM_EXPR_ANY, map, n);
    if (!expr)
        return NULL;
    for (int i = 0; i < n; i++)
        expr->children[i] = parse_expr(L, item_at(L, value, i), op);
    return expr;
}

// Any expression: a name, a list (any of), all/any/not, or a leaf. Returns NULL after
// reporting (or when a child failed: the file is rejected anyway).
static cm_expr *parse_expr(loader *L, yaml_node_t *node, const char *name)
{
    if (!node || is_null(node)) {
        error_at(L, node, "'%s' is empty", name);
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return parse_reference(L, node);
    case YAML_SEQUENCE_NODE: {
        int n = n_items(node);
        if (n == 0) {
            error_at(L, node, "'%s' is an empty list", name);
            return NULL;
        }
        cm_expr *expr = expr_new(L, CM_EXPR_ANY, node, n);
        if (!expr)
            return NULL;
        for (int i = 0; i < n; i++)
            expr->children[i] = parse_expr(L, item_at(L, node, i), name);
        return expr;
    }
    case YAML_MAPPING_NODE: {
        static const char *const operators[] = {"all", "any", "not"};
        if (n_pairs(node) == 0) {
            error_at(L, node, "'%s' is an empty mapping", name);
            return NULL;
        }
        for (size_t i = 0; i < COUNT(operators); i++) {
            yaml_node_t *value = get(L, node, operators[i]);
            if (value || get_key(L, node, operators[i]))
                return parse_compound(L, node, operators[i], value);
        }
        return parse_leaf(L, node);
    }
    default:
        error_at(L, node, "'%s' must be a name, a leaf or all/any/not", name);
        return NULL;
    }
}

/* ---- named alterations ------------------------------------------------------------------ */

// Calls visit on every named alteration an expression refers to, directly.
typedef void (*ref_visitor)(loader *L, const cm_expr *ref, void *context);

static void each_reference(loader *L, const cm_expr *expr, ref_visitor visit, void *context)
{
    if (!expr)
        return;
    if (expr->kind == CM_EXPR_REF && expr->target)
        visit(L, expr, context);
    for (int i = 0; i < expr->n_children; i++)
        each_reference(L, expr->children[i], visit, context);
}

typedef struct cycle_search {
    int *state; // 0 not seen, 1 on the path, 2 done
    int *path;
    int depth;
} cycle_search;

static void cycle_visit(loader *L, const cm_expr *ref, void *context);

static void cycle_from(loader *L, cycle_search *search, int i)
{
    search->state[i] = 1;
    search->path[search->depth++] = i;
    each_reference(L, L->protocol->named[i].expr, cycle_visit, search);
    search->depth--;
    search->state[i] = 2;
}

static void cycle_visit(loader *L, const cm_expr *ref, void *context)
{
    cycle_search *search = context;
    int j = (int)(ref->target - L->protocol->named);
    if (search->state[j] == 0) {
        cycle_from(L, search, j);
    } else if (search->state[j] == 1) {
        // Back to a name on the path: the cycle runs from it to here and back.
        kstring_t names = {0, 0, NULL};
        int start = search->depth - 1;
        while (start > 0 && search->path[start] != j)
            start--;
        for (int p = start; p < search->depth; p++) {
            kputs(L->protocol->named[search->path[p]].name, &names);
            kputs(" -> ", &names);
        }
        kputs(L->protocol->named[j].name, &names);
        const cm_named_alteration *named = &L->protocol->named[j];
        error_mark(L, named->line, named->column, "reference cycle among named alterations: %s",
                   names.s ? names.s : "");
        free(names.s);
    }
}

static void find_cycles(loader *L)
{
    int n = L->protocol->n_named;
    cycle_search search = {calloc((size_t)n + 1, sizeof(int)), calloc((size_t)n + 1, sizeof(int)),
                           0};
    if (!search.state || !search.path) {
        L->out_of_memory = 1;
    } else {
        for (int i = 0; i < n; i++)
            if (search.state[i] == 0)
                cycle_from(L, &search, i);
    }
    free(search.state);
    free(search.path);
}

static void mark_used(loader *L, const cm_expr *ref, void *context)
{
    (void)context;
    cm_named_alteration *named = &L->protocol->named[ref->target - L->protocol->named];
    if (named->is_used)
        return;
    named->is_used = 1;
    each_reference(L, named->expr, mark_used, NULL);
}

static void parse_named(loader *L, yaml_node_t *map)
{
    if (map->type != YAML_MAPPING_NODE) {
        error_at(L, map, "'alterations' must be a mapping of name: definition");
        return;
    }
    check_duplicates(L, map, "named alteration");
    int n = n_pairs(map);
    cm_protocol *protocol = L->protocol;
    protocol->named = calloc((size_t)n + 1, sizeof *protocol->named);
    if (!protocol->named) {
        L->out_of_memory = 1;
        return;
    }
    // Names first, so that definitions may refer to names further down.
    int *index = calloc((size_t)n + 1, sizeof *index); // pair -> named entry, -1 if skipped
    if (!index) {
        L->out_of_memory = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        yaml_node_t *key = pair_key(L, map, i);
        const char *name = scalar(key);
        index[i] = -1;
        if (!name || find_named(L, name))
            continue; // reported by check_duplicates
        if (!*name) {
            error_at(L, key, "a named alteration needs a name");
            continue;
        }
        cm_named_alteration *named = &protocol->named[protocol->n_named];
        named->name = copy_string(L, name);
        named->line = (int)key->start_mark.line + 1;
        named->column = (int)key->start_mark.column + 1;
        if (named->name && index_put(L, &L->named_index, named->name, protocol->n_named) == -1)
            index[i] = protocol->n_named++;
    }
    for (int i = 0; i < n; i++)
        if (index[i] >= 0)
            protocol->named[index[i]].expr =
                parse_expr(L, pair_value(L, map, i), protocol->named[index[i]].name);
    free(index);
    find_cycles(L);
}

/* ---- protocol, defaults ---------------------------------------------------------------- */

static void parse_protocol(loader *L, yaml_node_t *map)
{
    static const char *const keys[] = {"id",     "name",  "version", "registry",
                                       "source", "build", "status"};
    if (check_mapping(L, map, "protocol", keys, COUNT(keys)) < 0)
        return;
    cm_protocol *p = L->protocol;
    yaml_node_t *v;
    if ((v = get(L, map, "id"))) {
        if (string_value(L, v, "id", &p->id) == 0)
            for (size_t i = 0; i < L->rules->n_protocols; i++)
                if (L->rules->protocols[i]->id && strcmp(L->rules->protocols[i]->id, p->id) == 0)
                    error_at(L, v, "duplicate protocol id '%s' (first in %s)", show(L, p->id),
                             L->rules->protocols[i]->path);
    } else {
        error_at(L, map, "missing required key 'id' in protocol");
    }
    if ((v = get(L, map, "name")))
        string_value(L, v, "name", &p->name);
    if ((v = get(L, map, "version")))
        string_value(L, v, "version", &p->version);
    if ((v = get(L, map, "source")))
        string_value(L, v, "source", &p->source);
    if ((v = get(L, map, "registry")))
        string_list_value(L, v, "registry", &p->registry, &p->n_registry);
    if ((v = get(L, map, "build")))
        p->build = build_value(L, v);
    static const char *const statuses[] = {"open", "closed"};
    if ((v = get(L, map, "status")))
        p->is_closed = choice_value(L, v, "status", statuses, 2) == 1;
}

static const char *const transcript_names[] = {"preferred", "any"};

// The gate keys an arm and `defaults` share. Returns 1 if key was one of them.
static int parse_gate(loader *L, const char *key, yaml_node_t *value, cm_gates *gates)
{
    if (strcmp(key, "min_vaf") == 0)
        number_value(L, value, "min_vaf", 0, 1, &gates->min_vaf);
    else if (strcmp(key, "min_depth") == 0)
        int_value(L, value, "min_depth", 0, &gates->min_depth);
    else if (strcmp(key, "pass_only") == 0)
        bool_value(L, value, "pass_only", &gates->pass_only);
    else if (strcmp(key, "transcripts") == 0) {
        int c = choice_value(L, value, "transcripts", transcript_names, 2);
        if (c >= 0)
            gates->transcripts = c == 0 ? CM_TRANSCRIPTS_PREFERRED : CM_TRANSCRIPTS_ANY;
    } else
        return 0;
    return 1;
}

static void parse_defaults(loader *L, yaml_node_t *map)
{
    static const char *const keys[] = {
        "min_vaf",           "min_depth", "pass_only",    "transcripts",
        "amplification_min", "gain_min",  "deletion_max", "homozygous_deletion_max"};
    if (check_mapping(L, map, "defaults", keys, COUNT(keys)) < 0)
        return;
    cm_cnv_thresholds *t = &L->protocol->cnv_thresholds;
    int failed = 0;
    for (int i = 0; i < n_pairs(map); i++) {
        const char *key = scalar(pair_key(L, map, i));
        yaml_node_t *value = pair_value(L, map, i);
        if (!key || parse_gate(L, key, value, &L->protocol->defaults))
            continue;
        double *target = strcmp(key, "amplification_min") == 0         ? &t->amplification_min
                         : strcmp(key, "gain_min") == 0                ? &t->gain_min
                         : strcmp(key, "deletion_max") == 0            ? &t->deletion_max
                         : strcmp(key, "homozygous_deletion_max") == 0 ? &t->homozygous_max
                                                                       : NULL;
        if (target)
            failed |= number_value(L, value, key, 0, INFINITY, target) < 0;
    }
    if (!failed && !(t->homozygous_max <= t->deletion_max && t->deletion_max < t->gain_min &&
                     t->gain_min <= t->amplification_min))
        error_at(L, map,
                 "copy-number thresholds must satisfy homozygous_deletion_max <= deletion_max "
                 "< gain_min <= amplification_min");
}

/* ---- arms ------------------------------------------------------------------------------- */

static const cm_arm *find_arm(loader *L, const char *id)
{
    int i = index_get(L->arm_index, id);
    return i < 0 ? NULL : &L->protocol->arms[i];
}

static void parse_arm_id(loader *L, cm_arm *arm, yaml_node_t *value, int index)
{
    if (string_value(L, value, "id", &arm->id) < 0)
        return;
    int first = index_put(L, &L->arm_index, arm->id, index);
    if (first >= 0) {
        error_at(L, value, "duplicate arm id '%s' (first at line %d)", show(L, arm->id),
                 L->protocol->arms[first].line);
        return;
    }
    if (!L->other_arms) {
        // Arm ids are unique across the rule set: index the files loaded before this one.
        for (size_t p = 0; p < L->rules->n_protocols; p++)
            for (int a = 0; a < L->rules->protocols[p]->n_arms; a++)
                index_put(L, &L->other_arms, L->rules->protocols[p]->arms[a].id, (int)p);
        if (!L->other_arms && !(L->other_arms = kh_init(cm_str_index)))
            L->out_of_memory = 1;
    }
    int p = index_get(L->other_arms, arm->id);
    if (p >= 0) {
        const cm_protocol *other = L->rules->protocols[p];
        const cm_arm *earlier = NULL;
        for (int a = 0; a < other->n_arms && !earlier; a++)
            if (strcmp(other->arms[a].id, arm->id) == 0)
                earlier = &other->arms[a];
        error_at(L, value, "duplicate arm id '%s' (first in %s:%d)", show(L, arm->id), other->path,
                 earlier ? earlier->line : 0);
    }
}

static int oncotree_list_value(loader *L, yaml_node_t *node, const char *name, int **out,
                               int *n_out)
{
    yaml_node_t **items;
    int n = scalar_items(L, node, name, &items);
    if (n < 0)
        return -1;
    int *nodes = malloc((size_t)n * sizeof *nodes);
    if (!nodes) {
        L->out_of_memory = 1;
        free(items);
        return -1;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        int found = oncotree_value(L, items[i], name);
        if (found != CM_ONCOTREE_NOT_FOUND)
            nodes[k++] = found;
    }
    free(items);
    *out = nodes;
    *n_out = k;
    return 0;
}

// Node a is inside node b (either may be a meta node).
static int node_within(const cm_oncotree *tree, int a, int b)
{
    if (a == b)
        return 1;
    if (a < 0)
        return 0; // a meta node lies inside nothing but itself
    return cm_oncotree_is_within(tree, a, b);
}

static void parse_tumour_types(loader *L, cm_arm *arm, yaml_node_t *map)
{
    static const char *const keys[] = {"include", "exclude"};
    if (check_mapping(L, map, "tumour_types", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v;
    int failed = 0;
    if ((v = get(L, map, "include")))
        failed |= oncotree_list_value(L, v, "include", &arm->include_nodes, &arm->n_include) < 0;
    if ((v = get(L, map, "exclude")))
        failed |= oncotree_list_value(L, v, "exclude", &arm->exclude_nodes, &arm->n_exclude) < 0;
    if (failed || arm->n_include == 0 || arm->n_exclude == 0 || !L->rules->tree)
        return;
    for (int i = 0; i < arm->n_include; i++) {
        int covered = 0;
        for (int e = 0; e < arm->n_exclude && !covered; e++)
            covered = node_within(L->rules->tree, arm->include_nodes[i], arm->exclude_nodes[e]);
        if (!covered)
            return;
    }
    warning_at(L, map, "arm '%s' can never match: every tumour type it includes is excluded",
               arm->id ? show(L, arm->id) : "?");
}

// ESCAT tiers as written (I-A, IA, iii-a ...) -> the stored spelling (IA ... X).
static int normalise_escat(const char *text, char out[8])
{
    static const char *const tiers[] = {"IA",   "IB",   "IC", "IIA", "IIB",
                                        "IIIA", "IIIB", "IV", "V",   "X"};
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (n >= 7)
            return -1;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    for (size_t i = 0; i < COUNT(tiers); i++)
        if (strcmp(out, tiers[i]) == 0)
            return 0;
    return -1;
}

static void parse_evidence(loader *L, cm_arm *arm, yaml_node_t *map)
{
    static const char *const keys[] = {"escat", "oncokb"};
    static const char *const levels[] = {"1", "2", "3A", "3B", "4", "R1", "R2"};
    if (check_mapping(L, map, "evidence", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v;
    if ((v = get(L, map, "escat"))) {
        char tier[8];
        const char *text = scalar(v);
        if (!text || normalise_escat(text, tier) < 0)
            error_at(L, v,
                     "'escat' must be an ESCAT tier: I-A, I-B, I-C, II-A, II-B, III-A, III-B, "
                     "IV, V or X");
        else
            arm->escat = copy_string(L, tier);
    }
    if ((v = get(L, map, "oncokb"))) {
        const char *text = scalar(v);
        if (text && strncasecmp(text, "LEVEL_", 6) == 0)
            text += 6;
        int found = -1;
        for (int i = 0; text && i < (int)COUNT(levels) && found < 0; i++)
            if (strcasecmp(text, levels[i]) == 0)
                found = i;
        if (found < 0)
            error_at(L, v, "'oncokb' must be an OncoKB level: 1, 2, 3A, 3B, 4, R1 or R2");
        else
            arm->oncokb = copy_string(L, levels[found]);
    }
}

static void parse_cohort(loader *L, cm_arm *arm, yaml_node_t *map)
{
    static const char *const keys[] = {"tumour_type", "status", "stage",
                                       "enrolled",    "target", "note"};
    static const char *const statuses[] = {"open", "closed", "suspended"};
    if (check_mapping(L, map, "cohort", keys, COUNT(keys)) < 0)
        return;
    cm_cohort *cohort = &arm->cohorts[arm->n_cohorts++];
    cohort->node = CM_ONCOTREE_NOT_FOUND;
    cohort->line = (int)map->start_mark.line + 1;
    cohort->column = (int)map->start_mark.column + 1;
    yaml_node_t *v;
    if ((v = get(L, map, "tumour_type"))) {
        cohort->node = oncotree_value(L, v, "tumour_type");
        if (scalar(v) && !is_null(v))
            cohort->tumour_type = copy_string(L, scalar(v));
        for (int i = 0; cohort->node != CM_ONCOTREE_NOT_FOUND && i < arm->n_cohorts - 1; i++)
            if (arm->cohorts[i].node == cohort->node) {
                error_at(L, v, "duplicate cohort for '%s' (first at line %d)", show(L, scalar(v)),
                         arm->cohorts[i].line);
                break;
            }
    } else {
        error_at(L, map, "missing required key 'tumour_type' in cohort");
    }
    if (cohort->node != CM_ONCOTREE_NOT_FOUND && L->rules->tree) {
        // A cohort the arm's own tumour types rule out can never be offered.
        const cm_oncotree *tree = L->rules->tree;
        int included = arm->n_include == 0, excluded = 0;
        for (int i = 0; i < arm->n_include && !included; i++)
            included = node_within(tree, cohort->node, arm->include_nodes[i]);
        for (int i = 0; i < arm->n_exclude && !excluded; i++)
            excluded = node_within(tree, cohort->node, arm->exclude_nodes[i]);
        if (!included)
            warning_at(L, v, "cohort '%s' lies outside the arm's included tumour types",
                       show(L, cohort->tumour_type));
        else if (excluded)
            warning_at(L, v, "cohort '%s' lies inside the arm's excluded tumour types",
                       show(L, cohort->tumour_type));
    }
    if ((v = get(L, map, "status"))) {
        int c = choice_value(L, v, "status", statuses, 3);
        cohort->status = c < 0 ? CM_COHORT_NEW : (cm_cohort_status)(CM_COHORT_OPEN + c);
    } else {
        error_at(L, map, "missing required key 'status' in cohort");
    }
    if ((v = get(L, map, "stage")))
        int_value(L, v, "stage", 0, &cohort->stage);
    if ((v = get(L, map, "enrolled")))
        int_value(L, v, "enrolled", 0, &cohort->enrolled);
    if ((v = get(L, map, "target")))
        int_value(L, v, "target", 0, &cohort->target);
    if ((v = get(L, map, "note")))
        string_value(L, v, "note", &cohort->note);
}

static void parse_arm(loader *L, yaml_node_t *map, int index)
{
    static const char *const keys[] = {"id",           "drugs",     "match",     "exclude",
                                       "tumour_types", "evidence",  "source",    "cohorts",
                                       "min_vaf",      "min_depth", "pass_only", "transcripts"};
    cm_arm *arm = &L->protocol->arms[index];
    arm->protocol = L->protocol;
    cm_gates_unset(&arm->gates);
    arm->line = (int)map->start_mark.line + 1;
    arm->column = (int)map->start_mark.column + 1;
    if (check_mapping(L, map, "arm", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v;
    if ((v = get(L, map, "id")))
        parse_arm_id(L, arm, v, index);
    else
        error_at(L, map, "missing required key 'id' in arm");
    if ((v = get(L, map, "drugs")))
        string_list_value(L, v, "drugs", &arm->drugs, &arm->n_drugs);
    else
        error_at(L, map, "missing required key 'drugs' in arm");
    if ((v = get(L, map, "match")) || get_key(L, map, "match"))
        arm->match = parse_expr(L, v, "match");
    else
        error_at(L, map, "missing required key 'match' in arm");
    if ((v = get(L, map, "exclude")) || get_key(L, map, "exclude")) {
        cm_expr *exclude = parse_expr(L, v, "exclude");
        if (exclude && exclude->kind != CM_EXPR_ANY) {
            // Always an ANY, so that the report can name which exclusion hit.
            cm_expr *any = expr_new(L, CM_EXPR_ANY, v, 1);
            if (any)
                any->children[0] = exclude;
            else
                cm_expr_free(exclude);
            exclude = any;
        }
        arm->exclude = exclude;
    }
    if ((v = get(L, map, "tumour_types")))
        parse_tumour_types(L, arm, v);
    if ((v = get(L, map, "evidence")))
        parse_evidence(L, arm, v);
    if ((v = get(L, map, "source")))
        string_value(L, v, "source", &arm->source);
    if ((v = get(L, map, "cohorts"))) {
        if (v->type != YAML_SEQUENCE_NODE) {
            error_at(L, v, "'cohorts' must be a list");
        } else if (n_items(v) > 0) {
            arm->cohorts = calloc((size_t)n_items(v), sizeof *arm->cohorts);
            if (!arm->cohorts)
                L->out_of_memory = 1;
            for (int i = 0; arm->cohorts && i < n_items(v); i++)
                parse_cohort(L, arm, item_at(L, v, i));
        }
    }
    for (int i = 0; i < n_pairs(map); i++) {
        const char *key = scalar(pair_key(L, map, i));
        if (key && get(L, map, key) == pair_value(L, map, i)) // first occurrence only
            parse_gate(L, key, pair_value(L, map, i), &arm->gates);
    }
}

/* ---- tests ------------------------------------------------------------------------------ */

static const char *const reasons[] = {"excluded_by_alteration",
                                      "tumour_type_excluded",
                                      "tumour_type_not_included",
                                      "cohort_closed",
                                      "below_min_vaf",
                                      "below_min_depth",
                                      "filtered",
                                      "biomarker_missing"};

static cm_consequence consequence_of(cm_protein_kind kind)
{
    switch (kind) {
    case CM_PROTEIN_SUBSTITUTION:
        return CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    case CM_PROTEIN_NONSENSE:
        return CM_SO_BIT(CM_SO_STOP_GAINED);
    case CM_PROTEIN_SYNONYMOUS:
        return CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT);
    case CM_PROTEIN_FRAMESHIFT:
        return CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT);
    case CM_PROTEIN_DELETION:
        return CM_SO_BIT(CM_SO_INFRAME_DELETION);
    case CM_PROTEIN_INSERTION:
    case CM_PROTEIN_DUPLICATION:
        return CM_SO_BIT(CM_SO_INFRAME_INSERTION);
    case CM_PROTEIN_DELINS:
        return CM_SO_BIT(CM_SO_PROTEIN_ALTERING_VARIANT);
    case CM_PROTEIN_START_LOST:
        return CM_SO_BIT(CM_SO_START_LOST);
    case CM_PROTEIN_EXTENSION:
        return CM_SO_BIT(CM_SO_STOP_LOST);
    default:
        return 0;
    }
}

static cm_slice slice_of(const char *text)
{
    return (cm_slice){text, text ? (int)strlen(text) : 0};
}

static void test_consequence(loader *L, cm_alteration *a, yaml_node_t *value)
{
    yaml_node_t **items;
    int n = scalar_items(L, value, "consequence", &items);
    if (n < 0)
        return;
    const char *names[CM_SO_COUNT];
    for (int t = 0; t < CM_SO_COUNT; t++)
        names[t] = t == CM_SO_OTHER ? NULL : cm_so_term_name(t);
    for (int i = 0; i < n; i++) {
        const char *text = scalar(items[i]);
        int term = cm_so_term_lookup(text, strlen(text));
        if (term < 0 || term == CM_SO_OTHER) {
            char hint[128];
            error_at(L, items[i], "unknown consequence term '%s'%s", show(L, text),
                     did_you_mean(hint, sizeof hint, nearest(text, names, CM_SO_COUNT)));
            continue;
        }
        a->consequence |= CM_SO_BIT(term);
    }
    free(items);
}

static void test_fusion(loader *L, cm_alteration *a, yaml_node_t *map)
{
    static const char *const keys[] = {"gene", "partner", "in_frame"};
    if (check_mapping(L, map, "fusion", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v;
    const char *text;
    if ((v = get(L, map, "gene"))) {
        if ((text = text_value(L, v, "gene")))
            a->gene = slice_of(text);
    } else {
        error_at(L, map, "missing required key 'gene' in fusion");
    }
    if ((v = get(L, map, "partner")) && (text = text_value(L, v, "partner")))
        a->partner = slice_of(text);
    if ((v = get(L, map, "in_frame")))
        bool_value(L, v, "in_frame", &a->in_frame);
}

static void parse_test_alteration(loader *L, cm_rule_test *test, yaml_node_t *map)
{
    static const char *const keys[] = {"gene",   "protein",    "consequence", "exon", "intron",
                                       "hgvsc",  "transcript", "variant",     "vaf",  "depth",
                                       "filter", "homozygous", "copy_number", "cnv",  "fusion"};
    if (check_mapping(L, map, "test alteration", keys, COUNT(keys)) < 0)
        return;
    int errors_before = L->n_errors;
    cm_alteration a;
    cm_alteration_init(&a);
    a.allele = 1;
    yaml_node_t *v;
    const char *text;
    if ((v = get(L, map, "gene")) && (text = text_value(L, v, "gene")))
        a.gene = slice_of(text);
    if ((v = get(L, map, "protein")) && (text = text_value(L, v, "protein"))) {
        a.hgvsp = slice_of(text);
        if (cm_protein_change_parse(text, strlen(text), &a.protein) < 0)
            error_at(L, v, "cannot read protein change '%s' (HGVS p. notation expected)",
                     show(L, text));
    }
    if ((v = get(L, map, "consequence")))
        test_consequence(L, &a, v);
    else
        a.consequence = consequence_of(a.protein.kind);
    if ((v = get(L, map, "exon")))
        int_value(L, v, "exon", 1, &a.exon);
    if ((v = get(L, map, "intron")))
        int_value(L, v, "intron", 1, &a.intron);
    if ((v = get(L, map, "hgvsc")) && (text = text_value(L, v, "hgvsc")))
        a.hgvsc = slice_of(text);
    if ((v = get(L, map, "transcript")) && (text = text_value(L, v, "transcript")))
        a.transcript = slice_of(text);
    if ((v = get(L, map, "variant")) && (text = text_value(L, v, "variant"))) {
        variant_parts parts;
        if (parse_variant(text, &parts) < 0) {
            error_at(L, v, "'variant' must be chrom:pos:ref:alt like chr7:140753336:A:T, not '%s'",
                     show(L, text));
        } else {
            a.chrom = (cm_slice){parts.chrom, (int)parts.chrom_len};
            a.pos = parts.pos;
            a.ref = (cm_slice){parts.ref, (int)parts.ref_len};
            a.alt = (cm_slice){parts.alt, (int)parts.alt_len};
        }
    }
    if ((v = get(L, map, "vaf")))
        number_value(L, v, "vaf", 0, 1, &a.vaf);
    if ((v = get(L, map, "depth")))
        int_value(L, v, "depth", 0, &a.depth);
    if ((v = get(L, map, "filter")) && (text = text_value(L, v, "filter")))
        a.is_pass = strcmp(text, "PASS") == 0 || strcmp(text, ".") == 0;
    if ((v = get(L, map, "homozygous")))
        bool_value(L, v, "homozygous", &a.is_homozygous);
    int has_copy = 0;
    if ((v = get(L, map, "copy_number"))) {
        has_copy = 1;
        number_value(L, v, "copy_number", 0, INFINITY, &a.copy_number);
    }
    if ((v = get(L, map, "cnv"))) {
        has_copy = 1;
        int c = choice_value(L, v, "cnv", cnv_names, (int)COUNT(cnv_names));
        if (c >= 0)
            a.cnv = cnv_bits[c];
    }
    yaml_node_t *fusion = get(L, map, "fusion");
    if (fusion) {
        cm_slice side = a.gene;
        if (has_copy)
            error_at(L, map,
                     "a test alteration is a small variant, a copy-number call or a "
                     "fusion, not several");
        a.kind = CM_ALTERATION_FUSION;
        a.gene = (cm_slice){NULL, 0};
        test_fusion(L, &a, fusion);
        // `gene` beside `fusion` says which side the alteration is read from.
        if (side.len > 0 && a.gene.len > 0) {
            if (side.len == a.partner.len && memcmp(side.s, a.partner.s, (size_t)side.len) == 0) {
                a.partner = a.gene;
                a.gene = side;
            } else if (side.len != a.gene.len || memcmp(side.s, a.gene.s, (size_t)side.len)) {
                error_at(L, get(L, map, "gene"),
                         "'gene' beside 'fusion' must name one of its genes");
            }
        }
    } else if (has_copy) {
        a.kind = CM_ALTERATION_COPY_NUMBER;
        const cm_cnv_thresholds *t = &L->protocol->cnv_thresholds;
        if (!a.cnv && !isnan(a.copy_number))
            a.cnv = a.copy_number >= t->amplification_min ? CM_CNV_AMPLIFICATION
                    : a.copy_number >= t->gain_min        ? CM_CNV_GAIN
                    : a.copy_number <= t->homozygous_max  ? CM_CNV_HOMOZYGOUS_DELETION
                    : a.copy_number <= t->deletion_max    ? CM_CNV_DELETION
                                                          : 0;
    }
    if (!fusion && !get(L, map, "gene") && !get(L, map, "variant"))
        error_at(L, map, "a test alteration needs 'gene', 'variant' or 'fusion'");
    if (L->n_errors != errors_before)
        return;
    cm_test_alteration *t = &test->alterations[test->n_alterations];
    t->line = (int)map->start_mark.line + 1;
    t->column = (int)map->start_mark.column + 1;
    if (cm_alteration_copy(&a, &t->owned) < 0)
        L->out_of_memory = 1;
    else
        test->n_alterations++;
}

static int arm_exists(loader *L, yaml_node_t *node)
{
    const char *id = text_value(L, node, "arm");
    if (!id)
        return 0;
    if (find_arm(L, id))
        return 1;
    const char **ids = calloc((size_t)L->protocol->n_arms + 1, sizeof *ids);
    for (int i = 0; ids && i < L->protocol->n_arms; i++)
        ids[i] = L->protocol->arms[i].id;
    char hint[160];
    error_at(L, node, "unknown arm '%s'%s", show(L, id),
             did_you_mean(hint, sizeof hint,
                          ids ? nearest(id, (const char *const *)ids, (size_t)L->protocol->n_arms)
                              : NULL));
    free(ids);
    return 0;
}

/// Reads a list of arm ids of this file (each once) into *out; [] gives none.
static void arm_list(loader *L, yaml_node_t *v, const char *what, char ***out, int *n_out)
{
    if (v->type == YAML_SEQUENCE_NODE && n_items(v) == 0)
        return;
    yaml_node_t **items;
    int n = scalar_items(L, v, what, &items);
    if (n > 0) {
        *out = calloc((size_t)n, sizeof **out);
        for (int i = 0; *out && i < n; i++) {
            if (!arm_exists(L, items[i]))
                continue;
            int repeated = 0;
            for (int j = 0; j < *n_out && !repeated; j++)
                repeated = strcmp((*out)[j], scalar(items[i])) == 0;
            if (repeated)
                error_at(L, items[i], "arm '%s' is listed twice", show(L, scalar(items[i])));
            else
                (*out)[(*n_out)++] = copy_string(L, scalar(items[i]));
        }
        if (!*out)
            L->out_of_memory = 1;
    }
    free(items);
}

static void parse_expect(loader *L, cm_rule_test *test, yaml_node_t *map)
{
    static const char *const keys[] = {"candidates", "ruled_out", "absent"};
    if (check_mapping(L, map, "expect", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v = get(L, map, "candidates");
    if (!v && !get_key(L, map, "candidates"))
        error_at(L, map, "missing required key 'candidates' in expect (write [] for none)");
    else if (v)
        arm_list(L, v, "candidates", &test->expect_candidates, &test->n_expect_candidates);
    if ((v = get(L, map, "absent")))
        arm_list(L, v, "absent", &test->expect_absent, &test->n_expect_absent);
    if (!(v = get(L, map, "ruled_out")))
        return;
    if (v->type != YAML_SEQUENCE_NODE) {
        error_at(L, v, "'ruled_out' must be a list of {arm, reason}");
        return;
    }
    if (n_items(v) == 0)
        return;
    test->expect_ruled_out = calloc((size_t)n_items(v), sizeof *test->expect_ruled_out);
    if (!test->expect_ruled_out) {
        L->out_of_memory = 1;
        return;
    }
    static const char *const entry_keys[] = {"arm", "reason"};
    for (int i = 0; i < n_items(v); i++) {
        yaml_node_t *entry = item_at(L, v, i);
        if (check_mapping(L, entry, "ruled_out entry", entry_keys, COUNT(entry_keys)) < 0)
            continue;
        yaml_node_t *arm = get(L, entry, "arm"), *reason = get(L, entry, "reason");
        int ok = 1;
        if (!arm) {
            error_at(L, entry, "missing required key 'arm' in ruled_out entry");
            ok = 0;
        } else if (!arm_exists(L, arm)) {
            ok = 0;
        }
        if (!reason) {
            error_at(L, entry, "missing required key 'reason' in ruled_out entry");
            ok = 0;
        } else {
            const char *text = text_value(L, reason, "reason");
            int found = 0;
            for (size_t r = 0; text && r < COUNT(reasons) && !found; r++)
                found = strcmp(text, reasons[r]) == 0;
            if (text && !found) {
                char hint[160];
                error_at(L, reason, "unknown reason '%s'%s", show(L, text),
                         did_you_mean(hint, sizeof hint, nearest(text, reasons, COUNT(reasons))));
            }
            ok &= found;
        }
        if (ok) {
            cm_expected_ruled_out *e = &test->expect_ruled_out[test->n_expect_ruled_out++];
            e->arm = copy_string(L, scalar(arm));
            e->reason = copy_string(L, scalar(reason));
        }
    }
}

static void parse_test(loader *L, yaml_node_t *map, int index)
{
    static const char *const keys[] = {"name", "tumour_type", "tmb",         "msi",   "mmr",
                                       "age",  "sex",         "alterations", "expect"};
    cm_protocol *p = L->protocol;
    if (check_mapping(L, map, "test", keys, COUNT(keys)) < 0)
        return;
    cm_rule_test *test = &p->tests[p->n_tests++];
    test->line = (int)map->start_mark.line + 1;
    test->column = (int)map->start_mark.column + 1;
    test->tumour_node = CM_ONCOTREE_NOT_FOUND;
    test->tmb = NAN;
    test->age = NAN;
    yaml_node_t *v;
    if ((v = get(L, map, "name"))) {
        if (string_value(L, v, "name", &test->name) == 0)
            for (int i = 0; i < index; i++)
                if (p->tests[i].name && strcmp(p->tests[i].name, test->name) == 0) {
                    error_at(L, v, "duplicate test name '%s' (first at line %d)",
                             show(L, test->name), p->tests[i].line);
                    break;
                }
    } else {
        error_at(L, map, "missing required key 'name' in test");
    }
    if ((v = get(L, map, "tumour_type"))) {
        test->tumour_node = oncotree_value(L, v, "tumour_type");
        if (test->tumour_node == CM_ONCOTREE_SOLID || test->tumour_node == CM_ONCOTREE_LIQUID)
            error_at(L, v, "a test's tumour_type must be a real OncoTree code, not %s", scalar(v));
        if (scalar(v) && !is_null(v))
            test->tumour_type = copy_string(L, scalar(v));
    } else {
        error_at(L, map, "missing required key 'tumour_type' in test");
    }
    if ((v = get(L, map, "tmb")))
        number_value(L, v, "tmb", 0, INFINITY, &test->tmb);
    if ((v = get(L, map, "age")))
        number_value(L, v, "age", 0, INFINITY, &test->age);
    if ((v = get(L, map, "msi"))) {
        static const char *const names[] = {"high", "stable"};
        int c = choice_value(L, v, "msi", names, 2);
        test->msi = c < 0 ? CM_MSI_UNSET : c == 0 ? CM_MSI_HIGH : CM_MSI_STABLE;
    }
    if ((v = get(L, map, "mmr"))) {
        static const char *const names[] = {"deficient", "proficient"};
        int c = choice_value(L, v, "mmr", names, 2);
        test->mmr = c < 0 ? CM_MMR_UNSET : c == 0 ? CM_MMR_DEFICIENT : CM_MMR_PROFICIENT;
    }
    if ((v = get(L, map, "sex"))) {
        static const char *const names[] = {"female", "male"};
        int c = choice_value(L, v, "sex", names, 2);
        test->sex = c < 0 ? CM_SEX_UNSET : c == 0 ? CM_SEX_FEMALE : CM_SEX_MALE;
    }
    if ((v = get(L, map, "alterations")) && !is_null(v)) {
        if (v->type != YAML_SEQUENCE_NODE) {
            error_at(L, v, "'alterations' must be a list");
        } else if (n_items(v) > 0) {
            test->alterations = calloc((size_t)n_items(v), sizeof *test->alterations);
            if (!test->alterations)
                L->out_of_memory = 1;
            for (int i = 0; test->alterations && i < n_items(v); i++)
                parse_test_alteration(L, test, item_at(L, v, i));
        }
    }
    if ((v = get(L, map, "expect")))
        parse_expect(L, test, v);
    else
        error_at(L, map, "missing required key 'expect' in test");
}

/* ---- the document ----------------------------------------------------------------------- */

static void parse_version(loader *L, yaml_node_t *root)
{
    yaml_node_t *v = get(L, root, "cohortmatch");
    if (!v) {
        error_at(L, root, "missing required key 'cohortmatch' (the rule-language version, %d)",
                 CM_RULE_LANGUAGE_VERSION);
        return;
    }
    long long version;
    const char *text = scalar(v);
    if (!text || is_null(v) || parse_whole(text, &version) < 0)
        error_at(L, v, "'cohortmatch' must be the rule-language version, %d",
                 CM_RULE_LANGUAGE_VERSION);
    else if (version != CM_RULE_LANGUAGE_VERSION)
        error_at(L, v, "unsupported rule-language version %lld (this build reads %d)", version,
                 CM_RULE_LANGUAGE_VERSION);
}

static void parse_document(loader *L)
{
    static const char *const keys[] = {"cohortmatch", "protocol", "defaults",
                                       "alterations", "arms",     "tests"};
    yaml_node_t *root = cm_document_node(&L->doc, 1);
    if (!root || is_null(root)) {
        error_mark(L, 0, 0, "empty rule file");
        return;
    }
    if (root->type != YAML_MAPPING_NODE) {
        error_at(L, root, "a rule file must be a mapping with cohortmatch, protocol and arms");
        return;
    }
    check_mapping(L, root, "rule file", keys, COUNT(keys));
    parse_version(L, root);
    yaml_node_t *v;
    if ((v = get(L, root, "protocol")))
        parse_protocol(L, v);
    else
        error_at(L, root, "missing required key 'protocol'");
    if ((v = get(L, root, "defaults")))
        parse_defaults(L, v);
    if ((v = get(L, root, "alterations")) && !is_null(v))
        parse_named(L, v);

    cm_protocol *p = L->protocol;
    v = get(L, root, "arms");
    if (!v) {
        error_at(L, root, "missing required key 'arms'");
    } else if (v->type != YAML_SEQUENCE_NODE || n_items(v) == 0) {
        error_at(L, v, "'arms' must be a list of arms");
    } else {
        p->arms = calloc((size_t)n_items(v), sizeof *p->arms);
        if (!p->arms)
            L->out_of_memory = 1;
        for (int i = 0; p->arms && i < n_items(v); i++) {
            parse_arm(L, item_at(L, v, i), i);
            p->n_arms = i + 1;
        }
    }
    for (int i = 0; i < p->n_arms; i++) {
        each_reference(L, p->arms[i].match, mark_used, NULL);
        each_reference(L, p->arms[i].exclude, mark_used, NULL);
    }
    // Only in a file without errors: a reference that failed to resolve would make its
    // target look unused.
    for (int i = 0; i < p->n_named && L->n_errors == 0; i++)
        if (!p->named[i].is_used)
            warning_mark(L, p->named[i].line, p->named[i].column,
                         "named alteration '%s' is never used", show(L, p->named[i].name));

    if ((v = get(L, root, "tests")) && !is_null(v)) {
        if (v->type != YAML_SEQUENCE_NODE) {
            error_at(L, v, "'tests' must be a list");
        } else if (n_items(v) > 0) {
            p->tests = calloc((size_t)n_items(v), sizeof *p->tests);
            if (!p->tests)
                L->out_of_memory = 1;
            for (int i = 0; p->tests && i < n_items(v); i++)
                parse_test(L, item_at(L, v, i), p->n_tests);
        }
    }
}

/* ---- composing the document ----------------------------------------------------------------- */

// 1-based line and column of a byte offset (columns count characters, as libyaml does).
static void offset_position(const char *text, size_t len, size_t offset, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
            (*column)++;
        }
    }
}

// The byte a libyaml mark (0-based line and column in characters) points at, or -1.
static int byte_at_mark(const char *text, size_t len, yaml_mark_t mark)
{
    size_t i = 0;
    for (size_t line = 0; line < mark.line && i < len; i++)
        if (text[i] == '\n')
            line++;
    for (size_t column = 0; i < len && text[i] != '\n'; i++) {
        if (((unsigned char)text[i] & 0xc0) == 0x80)
            continue;
        if (column++ == mark.column)
            return (unsigned char)text[i];
    }
    return -1;
}

static void report_parser_error(loader *L, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "cannot parse";
    if (parser->error == YAML_READER_ERROR) {
        size_t offset = parser->problem_offset;
        const unsigned char *bytes = (const unsigned char *)L->text;
        int line, column;
        if (strstr(problem, "UTF-8")) {
            // Point at the sequence's first byte, not at the byte that broke it.
            if (strstr(problem, "trailing") && offset > 0 && offset <= L->len) {
                size_t lead = offset - 1;
                while (lead > 0 && (bytes[lead] & 0xc0) == 0x80)
                    lead--;
                offset = lead;
            }
            offset_position(L->text, L->len, offset, &line, &column);
            if (offset < L->len)
                error_mark(L, line, column, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8",
                           bytes[offset]);
            else
                error_mark(L, line, column, "invalid UTF-8 at the end: save the file as UTF-8");
            return;
        }
        offset_position(L->text, L->len, offset, &line, &column);
        if (parser->problem_value >= 0)
            error_mark(L, line, column, "invalid YAML: %s (0x%02x)", problem,
                       (unsigned)parser->problem_value);
        else
            error_mark(L, line, column, "invalid YAML: %s", problem);
        return;
    }
    int line = (int)parser->problem_mark.line + 1, column = (int)parser->problem_mark.column + 1;
    if (byte_at_mark(L->text, L->len, parser->problem_mark) == '\t')
        error_mark(L, line, column, "invalid YAML: tab character (indent with spaces)");
    else if (parser->context)
        error_mark(L, line, column, "invalid YAML: %s (%s at line %d)", problem, parser->context,
                   (int)parser->context_mark.line + 1);
    else
        error_mark(L, line, column, "invalid YAML: %s", problem);
}

// Streams the events once and builds L->doc from them (what yaml_parser_load does), while
// refusing what could hurt the walk: aliases and anchors (YAML bombs), nesting deeper
// than MAX_DEPTH, several documents. Syntax errors are reported with their position.
// One pass instead of a check and a load halves the cost of large rule files.
// Returns the number of errors; L->doc is initialised either way.
static int compose_document(loader *L)
{
    int errors_before = L->n_errors;
    cm_document_init(&L->doc);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        L->out_of_memory = 1;
        return 1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)L->text, L->len);
    int n_documents = 0, done = 0;
    while (!done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            report_parser_error(L, &parser);
            break;
        }
        int line = (int)event.start_mark.line + 1, column = (int)event.start_mark.column + 1;
        const yaml_char_t *anchor = NULL;
        int failed = 0;
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++n_documents > 1) {
                error_mark(L, line, column, "a rule file holds one YAML document, not several");
                done = 1;
            }
            break;
        case YAML_ALIAS_EVENT:
            error_mark(L, line, column, "YAML aliases are not allowed in rule files");
            break;
        case YAML_SCALAR_EVENT:
            anchor = event.data.scalar.anchor;
            failed = cm_document_add(&L->doc, &event) == 0;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                             : event.data.mapping_start.anchor;
            if (cm_document_depth(&L->doc) + 1 > MAX_DEPTH) {
                // Not added: the walk never sees a partial tree.
                error_mark(L, line, column, "nesting deeper than %d levels", MAX_DEPTH);
                done = 1;
            } else {
                failed = cm_document_add(&L->doc, &event) == 0;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            failed = cm_document_close(&L->doc, &event) < 0;
            break;
        default:
            break;
        }
        if (anchor)
            error_mark(L, line, column, "YAML anchors are not allowed in rule files");
        if (failed) {
            L->out_of_memory = 1;
            done = 1;
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return L->n_errors - errors_before;
}

/* ---- entry points ----------------------------------------------------------------------- */

static int load_text(cm_ruleset *rules, const char *name, const char *text, size_t len,
                     cm_diagnostics *diag)
{
    loader L = {.rules = rules, .diag = diag, .file = name, .text = text, .len = len};
    rules->n_files++;
    if (len > MAX_FILE_SIZE) {
        error_mark(&L, 0, 0, "file is larger than %zu MiB", MAX_FILE_SIZE >> 20);
        return L.n_errors;
    }
    if (compose_document(&L) > 0 || L.out_of_memory) {
        cm_document_free(&L.doc);
        goto done;
    }

    size_t leaf_mark = rules->n_leaves, gene_mark = rules->n_genes;
    L.protocol = calloc(1, sizeof *L.protocol);
    char sha[65];
    if (L.protocol && cm_sha256_hex(text, len, sha) == 0) {
        L.protocol->path = strdup(name);
        L.protocol->sha256 = strdup(sha);
        cm_gates_unset(&L.protocol->defaults);
        L.protocol->cnv_thresholds = (cm_cnv_thresholds){6, 3, 1, 0.5};
    }
    if (!L.protocol || !L.protocol->path || !L.protocol->sha256)
        L.out_of_memory = 1;
    else
        parse_document(&L);
    if (!L.out_of_memory && L.n_errors == 0 && cm_ruleset_add_protocol(rules, L.protocol) == 0) {
        L.protocol = NULL;
    } else {
        cm_protocol_free(L.protocol);
        cm_ruleset_truncate_leaves(rules, leaf_mark);
        cm_ruleset_truncate_genes(rules, gene_mark);
    }
    cm_document_free(&L.doc);
done:
    if (L.named_index)
        kh_destroy(cm_str_index, L.named_index);
    if (L.arm_index)
        kh_destroy(cm_str_index, L.arm_index);
    if (L.other_arms)
        kh_destroy(cm_str_index, L.other_arms);
    if (L.out_of_memory)
        error_mark(&L, 0, 0, "out of memory");
    int n_hidden = L.n_hidden_errors + L.n_hidden_warnings;
    if (n_hidden > 0) {
        // One note (sorted first, having no line) instead of the rest; the counts still
        // hold every problem found, and the note is not one of them.
        L.n_listed = 0;
        L.n_errors--;
        error_mark(&L, 0, 0, "too many problems: only the first %d of %d are listed",
                   MAX_DIAGNOSTICS, MAX_DIAGNOSTICS + n_hidden);
        diag->n_errors += (size_t)L.n_hidden_errors - 1;
        diag->n_warnings += (size_t)L.n_hidden_warnings;
    }
    return L.n_errors;
}

int cm_ruleset_load_string(cm_ruleset *rules, const char *name, const char *text, size_t len,
                           cm_diagnostics *diag)
{
    return load_text(rules, name ? name : "<string>", text ? text : "", text ? len : 0, diag);
}

static int cannot_read(cm_ruleset *rules, const char *path, cm_diagnostics *diag, int error)
{
    char message[256];
    snprintf(message, sizeof message, "%s", strerror(error));
    message[0] = (char)tolower((unsigned char)message[0]);
    cm_diagnostics_add(diag, CM_SEVERITY_ERROR, path, 0, 0, "cannot read: %s", message);
    rules->n_files++;
    return 1;
}

static int load_file(cm_ruleset *rules, const char *path, cm_diagnostics *diag)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return cannot_read(rules, path, diag, errno);
    // Read at most one byte more than the cap, so that a huge file is refused unread.
    size_t capacity = 1 << 16, len = 0;
    char *text = malloc(capacity);
    int failed = !text;
    while (!failed) {
        if (len == capacity) {
            if (capacity > MAX_FILE_SIZE)
                break;
            capacity *= 2;
            char *grown = realloc(text, capacity);
            if (!grown) {
                failed = 1;
                break;
            }
            text = grown;
        }
        size_t n = fread(text + len, 1, capacity - len, fp);
        len += n;
        if (n == 0) {
            if (ferror(fp))
                failed = 2;
            break;
        }
    }
    int saved = errno;
    fclose(fp);
    if (failed) {
        free(text);
        if (failed == 2)
            return cannot_read(rules, path, diag, saved);
        cm_diagnostics_add(diag, CM_SEVERITY_ERROR, path, 0, 0, "out of memory");
        rules->n_files++;
        return 1;
    }
    int n_errors = load_text(rules, path, text, len, diag);
    free(text);
    return n_errors;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_rule_suffix(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

int cm_ruleset_load(cm_ruleset *rules, const char *path, cm_diagnostics *diag)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cannot_read(rules, path, diag, errno);
    if (!S_ISDIR(st.st_mode))
        return load_file(rules, path, diag);
    DIR *dir = opendir(path);
    if (!dir)
        return cannot_read(rules, path, diag, errno);
    char **names = NULL;
    size_t n = 0, capacity = 0;
    int n_errors = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.' || !has_rule_suffix(entry->d_name))
            continue;
        if (n == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            char **grown = realloc(names, capacity * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        size_t len = strlen(path);
        int slash = len > 0 && path[len - 1] == '/';
        size_t size = len + strlen(entry->d_name) + 2;
        char *full = malloc(size);
        if (!full)
            break;
        snprintf(full, size, "%s%s%s", path, slash ? "" : "/", entry->d_name);
        names[n++] = full;
    }
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    size_t n_rule_files = 0;
    for (size_t i = 0; i < n; i++) {
        if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            free(names[i]);
            continue;
        }
        n_rule_files++;
        n_errors += load_file(rules, names[i], diag);
        free(names[i]);
    }
    free(names);
    if (n_rule_files == 0) {
        cm_diagnostics_add(diag, CM_SEVERITY_ERROR, path, 0, 0,
                           "no rule files (*.yaml, *.yml) in this folder");
        n_errors++;
    }
    return n_errors;
}

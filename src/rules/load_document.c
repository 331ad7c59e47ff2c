/*
 * The loader's view of a YAML rule file: composing the document from libyaml's
 * events, diagnostics with file:line:column and "did you mean", and the checks of
 * a mapping's keys (unknown, duplicate, not text).
 *
 * The event stream is composed once into a cm_document, refusing on the way what
 * could hurt the walk (aliases and anchors, which make YAML bombs; nesting deeper than
 * CM_LOAD_MAX_DEPTH; several documents) and reporting syntax errors. At most
 * CM_LOAD_MAX_DIAGNOSTICS diagnostics a file are listed; the rest are counted. Nothing
 * here prints or exits.
 */
#include "load_internal.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics ------------------------------------------------------------------------- */

static void add_at(cm_loader *L, cm_severity severity, int line, int column, const char *fmt,
                   va_list ap)
{
    if (severity == CM_SEVERITY_ERROR)
        L->n_errors++;
    if (L->n_listed >= CM_LOAD_MAX_DIAGNOSTICS) {
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

void cm_load_error(cm_loader *L, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_ERROR, node ? (int)node->start_mark.line + 1 : 0,
           node ? (int)node->start_mark.column + 1 : 0, fmt, ap);
    va_end(ap);
}

void cm_load_warning(cm_loader *L, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_WARNING, node ? (int)node->start_mark.line + 1 : 0,
           node ? (int)node->start_mark.column + 1 : 0, fmt, ap);
    va_end(ap);
}

void cm_load_error_mark(cm_loader *L, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_ERROR, line, column, fmt, ap);
    va_end(ap);
}

void cm_load_warning_mark(cm_loader *L, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_at(L, CM_SEVERITY_WARNING, line, column, fmt, ap);
    va_end(ap);
}

// A value as a message shows it: at most 60 bytes, control characters as '?', so that
// one diagnostic stays one line whatever the file holds.
const char *cm_load_show(cm_loader *L, const char *value)
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
const char *cm_load_nearest(const char *word, const char *const *names, size_t n)
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

const char *cm_load_did_you_mean(char *buffer, size_t size, const char *suggestion)
{
    if (!suggestion)
        return "";
    snprintf(buffer, size, " (did you mean '%s'?)", suggestion);
    return buffer;
}

void cm_load_unknown(cm_loader *L, const yaml_node_t *node, const char *what, const char *word,
                     const char *const *names, size_t n)
{
    char hint[160];
    cm_load_error(L, node, "unknown %s '%s'%s", what, cm_load_show(L, word),
                  cm_load_did_you_mean(hint, sizeof hint, cm_load_nearest(word, names, n)));
}

int cm_load_is_null(const yaml_node_t *node)
{
    if (!node)
        return 1;
    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = scalar(node);
    return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

// The index of key's first occurrence in map, or -1.
static int find_pair(const cm_loader *L, const yaml_node_t *map, const char *key)
{
    for (int i = 0; i < n_pairs(map); i++) {
        const char *k = scalar(pair_key(L, map, i));
        if (k && strcmp(k, key) == 0)
            return i;
    }
    return -1;
}

yaml_node_t *cm_load_get(const cm_loader *L, const yaml_node_t *map, const char *key)
{
    int i = find_pair(L, map, key);
    return i < 0 ? NULL : pair_value(L, map, i);
}

yaml_node_t *cm_load_get_key(const cm_loader *L, const yaml_node_t *map, const char *key)
{
    int i = find_pair(L, map, key);
    return i < 0 ? NULL : pair_key(L, map, i);
}

// Adds key -> value unless key is there; returns the index already stored, -1 if key was
// new, or -2 when out of memory. key must outlive the index.
int cm_load_index_put(cm_loader *L, khash_t(cm_str_index) * *index, const char *key, int value)
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

int cm_load_index_get(khash_t(cm_str_index) * index, const char *key)
{
    if (!index)
        return -1;
    khint_t k = kh_get(cm_str_index, index, key);
    return k == kh_end(index) ? -1 : kh_val(index, k);
}

// Reports keys that are not text and keys written twice. kind names the entries in the
// message ("key", "named alteration").
void cm_load_check_duplicates(cm_loader *L, const yaml_node_t *map, const char *kind)
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
            cm_load_error(L, key, "a %s must be plain text", kind);
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
            first = cm_load_index_put(L, &seen, k, i);
        }
        if (first >= 0)
            cm_load_error(L, key, "duplicate %s '%s' (first at line %d)", kind, cm_load_show(L, k),
                          (int)pair_key(L, map, first)->start_mark.line + 1);
    }
    if (seen)
        kh_destroy(cm_str_index, seen);
}

// Reports unknown and duplicate keys of a mapping. Returns 0 if node is a mapping, else
// reports that it must be one (what says where) and returns -1.
int cm_load_check_mapping(cm_loader *L, const yaml_node_t *node, const char *what,
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
            cm_load_error(L, node, "a%s %s must be a mapping of keys", what[0] == 'a' ? "n" : "",
                          what);
        else if (what[0] == '\'')
            cm_load_error(L, node, "%s must be a mapping of keys", what);
        else
            cm_load_error(L, node, "'%s' must be a mapping of keys", what);
        return -1;
    }
    cm_load_check_duplicates(L, node, "key");
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
            const char *suggestion = L->n_listed < CM_LOAD_MAX_DIAGNOSTICS
                                         ? cm_load_nearest(k, allowed, n_allowed)
                                         : NULL;
            cm_load_error(L, key, "unknown key '%s' in %s%s", cm_load_show(L, k), what,
                          cm_load_did_you_mean(hint, sizeof hint, suggestion));
        }
    }
    return 0;
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

static void report_parser_error(cm_loader *L, const yaml_parser_t *parser)
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
                cm_load_error_mark(L, line, column,
                                   "invalid UTF-8 (byte 0x%02x): save the file as UTF-8",
                                   bytes[offset]);
            else
                cm_load_error_mark(L, line, column,
                                   "invalid UTF-8 at the end: save the file as UTF-8");
            return;
        }
        offset_position(L->text, L->len, offset, &line, &column);
        if (parser->problem_value >= 0)
            cm_load_error_mark(L, line, column, "invalid YAML: %s (0x%02x)", problem,
                               (unsigned)parser->problem_value);
        else
            cm_load_error_mark(L, line, column, "invalid YAML: %s", problem);
        return;
    }
    int line = (int)parser->problem_mark.line + 1, column = (int)parser->problem_mark.column + 1;
    if (byte_at_mark(L->text, L->len, parser->problem_mark) == '\t')
        cm_load_error_mark(L, line, column, "invalid YAML: tab character (indent with spaces)");
    else if (parser->context)
        cm_load_error_mark(L, line, column, "invalid YAML: %s (%s at line %d)", problem,
                           parser->context, (int)parser->context_mark.line + 1);
    else
        cm_load_error_mark(L, line, column, "invalid YAML: %s", problem);
}

// Streams the events once and builds L->doc from them (what yaml_parser_load does), while
// refusing what could hurt the walk: aliases and anchors (YAML bombs), nesting deeper
// than CM_LOAD_MAX_DEPTH, several documents. Syntax errors are reported with their position.
// One pass instead of a check and a load halves the cost of large rule files.
// Returns the number of errors; L->doc is initialised either way.
int cm_load_compose(cm_loader *L)
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
                cm_load_error_mark(L, line, column,
                                   "a rule file holds one YAML document, not several");
                done = 1;
            }
            break;
        case YAML_ALIAS_EVENT:
            cm_load_error_mark(L, line, column, "YAML aliases are not allowed in rule files");
            break;
        case YAML_SCALAR_EVENT:
            anchor = event.data.scalar.anchor;
            failed = cm_document_add(&L->doc, &event) == 0;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                             : event.data.mapping_start.anchor;
            if (cm_document_depth(&L->doc) + 1 > CM_LOAD_MAX_DEPTH) {
                // Not added: the walk never sees a partial tree.
                cm_load_error_mark(L, line, column, "nesting deeper than %d levels",
                                   CM_LOAD_MAX_DEPTH);
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
            cm_load_error_mark(L, line, column, "YAML anchors are not allowed in rule files");
        if (failed) {
            L->out_of_memory = 1;
            done = 1;
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return L->n_errors - errors_before;
}

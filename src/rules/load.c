/*
 * The YAML rule loader: one protocol file -> the structures of rules.h. This file holds
 * the entry points (a file, a folder, a string) and the top level of a rule file: the
 * language version, `protocol:` and `defaults:`; load_internal.h says which file reads
 * the rest.
 *
 * A file is parsed once into a document tree (load_document.c), which is then walked in
 * a fixed order (version, protocol, defaults, named alterations, arms, tests), so that
 * arms may refer to names defined further down the file.
 *
 * Every problem becomes a diagnostic with file:line:column and the walk goes on, so that
 * one run reports all of a file's errors. A file with errors adds nothing to the rule
 * set: the leaves and gene symbols it interned are rolled back. This module never prints
 * and never exits.
 */
#include "cohortmatch/network.h"
#include "load_internal.h"
#include "sha256.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- protocol, defaults ------------------------------------------------------------------ */

static void read_protocol_id(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_protocol *p = destination;
    if (cm_load_string(L, value, "id", &p->id) < 0)
        return;
    for (size_t i = 0; i < L->rules->n_protocols; i++)
        if (L->rules->protocols[i]->id && strcmp(L->rules->protocols[i]->id, p->id) == 0)
            cm_load_error(L, value, "duplicate protocol id '%s' (first in %s)",
                          cm_load_show(L, p->id), L->rules->protocols[i]->path);
}

static const cm_choices protocol_statuses = {{"open", "closed"}, {0, 1}, 2, 0};

static void read_country(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    const char *text = cm_load_text(L, value, "country");
    char code[3];
    if (!text)
        return;
    if (cm_country_parse(text, 0, code) == 0)
        ((cm_protocol *)destination)->country = cm_load_copy(L, code);
    else if (strcasecmp(text, "UK") == 0)
        cm_load_error(L, value,
                      "'country' must be an ISO 3166-1 alpha-2 code: the United Kingdom "
                      "is GB, not UK");
    else
        cm_load_error(L, value,
                      "'country' must be an ISO 3166-1 alpha-2 code (NL, NO, GB ...), "
                      "not '%s'",
                      cm_load_show(L, text));
}

// `design: {stages: [8, 24]}` or `design: {cohort_size: 30}`, one of the two.
static void read_design(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    static const char *const keys[] = {"stages", "cohort_size"};
    cm_design *design = &((cm_protocol *)destination)->design;
    if (cm_load_check_mapping(L, value, "design", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *stages = cm_load_get(L, value, "stages");
    yaml_node_t *size = cm_load_get(L, value, "cohort_size");
    if (!stages == !size) {
        cm_load_error(L, value, "'design' takes either stages or cohort_size");
        return;
    }
    if (size) {
        cm_load_whole(L, size, "cohort_size", 1, &design->cohort_size);
        return;
    }
    if (stages->type != YAML_SEQUENCE_NODE || n_items(stages) == 0 ||
        n_items(stages) > CM_MAX_STAGES) {
        cm_load_error(L, stages, "'stages' must be a list of 1 to %d patient counts, e.g. [8, 24]",
                      CM_MAX_STAGES);
        return;
    }
    for (int i = 0; i < n_items(stages); i++) {
        yaml_node_t *item = item_at(L, stages, i);
        int count;
        if (cm_load_whole(L, item, "stages", 1, &count) < 0)
            return;
        if (i > 0 && count <= design->stages[i - 1]) {
            cm_load_error(L, item,
                          "'stages' are the patients at the end of each stage and must grow "
                          "(%d after %d)",
                          count, design->stages[i - 1]);
            return;
        }
        design->stages[i] = count;
        design->n_stages = i + 1;
    }
}

static void read_protocol_age(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_protocol *p = destination;
    p->age_min = p->age_max = NAN;
    p->has_age_limit = cm_load_bounds(L, value, "age", &p->age_min, &p->age_max) == 0;
}

static const cm_field protocol_fields[] = {
    CM_FIELD_CUSTOM("id", read_protocol_id, CM_FIELD_REQUIRED),
    CM_FIELD_TEXT("name", cm_protocol, name, 0),
    CM_FIELD_TEXT("version", cm_protocol, version, 0),
    CM_FIELD_LIST("registry", cm_protocol, registry, n_registry, &cm_item_text, 0),
    CM_FIELD_TEXT("source", cm_protocol, source, 0),
    CM_FIELD_CHOICE("build", cm_protocol, build, &cm_build_choices, 0),
    CM_FIELD_CHOICE("status", cm_protocol, is_closed, &protocol_statuses, 0),
    CM_FIELD_CUSTOM("country", read_country, 0),
    CM_FIELD_TEXT("network", cm_protocol, network, 0),
    CM_FIELD_CUSTOM("design", read_design, 0),
    CM_FIELD_CUSTOM("age", read_protocol_age, 0),
};

static const cm_field threshold_fields[] = {
    CM_FIELD_NUMBER("amplification_min", cm_cnv_thresholds, amplification_min, 0, INFINITY, 0),
    CM_FIELD_NUMBER("gain_min", cm_cnv_thresholds, gain_min, 0, INFINITY, 0),
    CM_FIELD_NUMBER("deletion_max", cm_cnv_thresholds, deletion_max, 0, INFINITY, 0),
    CM_FIELD_NUMBER("homozygous_deletion_max", cm_cnv_thresholds, homozygous_max, 0, INFINITY, 0),
};

// The gates and the copy-number thresholds, every occurrence in file order.
static void parse_defaults(cm_loader *L, yaml_node_t *map)
{
    if (cm_load_check_fields(L, map, "defaults", cm_gate_fields, cm_n_gate_fields, threshold_fields,
                             COUNT(threshold_fields)) < 0)
        return;
    cm_cnv_thresholds *t = &L->protocol->cnv_thresholds;
    int failed = 0;
    for (int i = 0; i < n_pairs(map); i++) {
        const char *key = scalar(pair_key(L, map, i));
        yaml_node_t *value = pair_value(L, map, i);
        const cm_field *field;
        if (!key)
            continue;
        if ((field = cm_field_find(cm_gate_fields, cm_n_gate_fields, key)))
            cm_load_field(L, field, value, map, &L->protocol->defaults);
        else if ((field = cm_field_find(threshold_fields, COUNT(threshold_fields), key)))
            failed |= cm_load_field(L, field, value, map, t) < 0;
    }
    if (!failed && !(t->homozygous_max <= t->deletion_max && t->deletion_max < t->gain_min &&
                     t->gain_min <= t->amplification_min))
        cm_load_error(L, map,
                      "copy-number thresholds must satisfy homozygous_deletion_max <= "
                      "deletion_max < gain_min <= amplification_min");
}

/* ---- the document ------------------------------------------------------------------------ */

static void parse_version(cm_loader *L, yaml_node_t *root)
{
    yaml_node_t *v = cm_load_get(L, root, "cohortmatch");
    if (!v) {
        cm_load_error(L, root, "missing required key 'cohortmatch' (the rule-language version, %d)",
                      CM_RULE_LANGUAGE_VERSION);
        return;
    }
    long long version;
    const char *text = scalar(v);
    if (!text || cm_load_is_null(v) || cm_load_parse_whole(text, &version) < 0)
        cm_load_error(L, v, "'cohortmatch' must be the rule-language version, %d",
                      CM_RULE_LANGUAGE_VERSION);
    else if (version != CM_RULE_LANGUAGE_VERSION)
        cm_load_error(L, v, "unsupported rule-language version %lld (this build reads %d)", version,
                      CM_RULE_LANGUAGE_VERSION);
}

static void parse_document(cm_loader *L)
{
    static const char *const keys[] = {"cohortmatch", "protocol", "defaults",
                                       "alterations", "arms",     "tests"};
    yaml_node_t *root = cm_document_node(&L->doc, 1);
    if (!root || cm_load_is_null(root)) {
        cm_load_error_mark(L, 0, 0, "empty rule file");
        return;
    }
    if (root->type != YAML_MAPPING_NODE) {
        cm_load_error(L, root, "a rule file must be a mapping with cohortmatch, protocol and arms");
        return;
    }
    cm_load_check_mapping(L, root, "rule file", keys, COUNT(keys));
    parse_version(L, root);
    yaml_node_t *v;
    if ((v = cm_load_get(L, root, "protocol")))
        cm_load_mapping(L, v, "protocol", protocol_fields, COUNT(protocol_fields), L->protocol);
    else
        cm_load_error(L, root, "missing required key 'protocol'");
    if ((v = cm_load_get(L, root, "defaults")))
        parse_defaults(L, v);
    if ((v = cm_load_get(L, root, "alterations")) && !cm_load_is_null(v))
        cm_load_named(L, v);

    cm_protocol *p = L->protocol;
    v = cm_load_get(L, root, "arms");
    if (!v) {
        cm_load_error(L, root, "missing required key 'arms'");
    } else if (v->type != YAML_SEQUENCE_NODE || n_items(v) == 0) {
        cm_load_error(L, v, "'arms' must be a list of arms");
    } else {
        p->arms = calloc((size_t)n_items(v), sizeof *p->arms);
        if (!p->arms)
            L->out_of_memory = 1;
        for (int i = 0; p->arms && i < n_items(v); i++) {
            cm_load_arm(L, item_at(L, v, i), i);
            p->n_arms = i + 1;
        }
    }
    // An arm without its own age limit takes the protocol's.
    for (int i = 0; i < p->n_arms && p->has_age_limit; i++)
        if (!p->arms[i].has_age_limit) {
            p->arms[i].has_age_limit = 1;
            p->arms[i].age_min = p->age_min;
            p->arms[i].age_max = p->age_max;
        }
    for (int i = 0; i < p->n_arms; i++) {
        cm_load_mark_used(L, p->arms[i].match);
        cm_load_mark_used(L, p->arms[i].exclude);
    }
    // Only in a file without errors: a reference that failed to resolve would make its
    // target look unused.
    for (int i = 0; i < p->n_named && L->n_errors == 0; i++)
        if (!p->named[i].is_used)
            cm_load_warning_mark(L, p->named[i].line, p->named[i].column,
                                 "named alteration '%s' is never used",
                                 cm_load_show(L, p->named[i].name));

    if ((v = cm_load_get(L, root, "tests")) && !cm_load_is_null(v)) {
        int n;
        p->tests = cm_load_sequence(L, v, "tests", sizeof *p->tests, &n);
        for (int i = 0; i < n; i++)
            cm_load_test(L, item_at(L, v, i));
    }
}

/* ---- entry points ----------------------------------------------------------------------- */

static int load_text(cm_ruleset *rules, const char *name, const char *text, size_t len,
                     cm_diagnostics *diag)
{
    cm_loader L = {.rules = rules, .diag = diag, .file = name, .text = text, .len = len};
    rules->n_files++;
    if (len > CM_LOAD_MAX_FILE_SIZE) {
        cm_load_error_mark(&L, 0, 0, "file is larger than %zu MiB", CM_LOAD_MAX_FILE_SIZE >> 20);
        return L.n_errors;
    }
    if (cm_load_compose(&L) > 0 || L.out_of_memory) {
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
        cm_load_error_mark(&L, 0, 0, "out of memory");
    int n_hidden = L.n_hidden_errors + L.n_hidden_warnings;
    if (n_hidden > 0) {
        // One note (sorted first, having no line) instead of the rest; the counts still
        // hold every problem found, and the note is not one of them.
        L.n_listed = 0;
        L.n_errors--;
        cm_load_error_mark(&L, 0, 0, "too many problems: only the first %d of %d are listed",
                           CM_LOAD_MAX_DIAGNOSTICS, CM_LOAD_MAX_DIAGNOSTICS + n_hidden);
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
            if (capacity > CM_LOAD_MAX_FILE_SIZE)
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

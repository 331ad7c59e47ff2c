/*
 * Cohort states as data (include/cohortmatch/cohorts.h): reads a trial
 * office's TSV of cohort states and lays it over the rule files' cohorts.
 * Every row is read and checked before any is applied, so a file with a
 * problem leaves the rule set as it was. It never prints.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "cohortmatch/cohorts.h"

enum {
    COLUMN_PROTOCOL,
    COLUMN_ARM,
    COLUMN_TUMOUR_TYPE,
    COLUMN_STATUS,
    COLUMN_ENROLLED,
    COLUMN_TARGET,
    COLUMN_UPDATED,
    COLUMN_STAGE, // optional from here on
    COLUMN_NOTE,
    N_COLUMNS
};
#define N_REQUIRED COLUMN_STAGE

static const char *const column_names[N_COLUMNS] = {
    "protocol", "arm", "tumour_type", "status", "enrolled", "target", "updated", "stage", "note"};

/// One checked row, waiting to be applied.
typedef struct state_row {
    cm_arm *arm;
    int node;
    char *code;
    cm_cohort_status status;
    int stage, enrolled, target, is_enrolled_known;
    char *updated, *note;
    int line;
} state_row;

int cm_iso_date_is_valid(const char *text)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)text[i]))
            return 0;
    int year = atoi(text), month = atoi(text + 5), day = atoi(text + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return 0;
    int is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && is_leap);
}

// A whole number >= min, or "" / "." for not given (*out = -1). Returns 0, or -1.
static int count_cell(const char *text, int min, int *out)
{
    if (text[0] == '\0' || strcmp(text, ".") == 0) {
        *out = -1;
        return 0;
    }
    if (!isdigit((unsigned char)text[0]))
        return -1;
    errno = 0;
    char *end;
    long value = strtol(text, &end, 10);
    if (*end != '\0' || errno || value < min || value > 1000000)
        return -1;
    *out = (int)value;
    return 0;
}

static cm_protocol *find_protocol(cm_ruleset *rules, const char *id)
{
    for (size_t i = 0; i < rules->n_protocols; i++)
        if (rules->protocols[i]->id && strcmp(rules->protocols[i]->id, id) == 0)
            return rules->protocols[i];
    return NULL;
}

static cm_arm *find_arm(cm_protocol *protocol, const char *id)
{
    for (int i = 0; i < protocol->n_arms; i++)
        if (protocol->arms[i].id && strcmp(protocol->arms[i].id, id) == 0)
            return &protocol->arms[i];
    return NULL;
}

static void rows_free(state_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].code);
        free(rows[i].updated);
        free(rows[i].note);
    }
    free(rows);
}

// Checks one data row (fields in file order, columns[i] = which column field i is) and
// fills row. Returns 0, or -1 with err set.
static int read_row(cm_ruleset *rules, const char *path, int line, char **fields, int n,
                    const int *columns, state_row *row, cm_error *err)
{
    const char *cell[N_COLUMNS] = {0};
    for (int i = 0; i < n; i++)
        cell[columns[i]] = fields[i];
    memset(row, 0, sizeof *row);
    row->line = line;
    for (int c = 0; c < N_REQUIRED; c++)
        if (c != COLUMN_ENROLLED && c != COLUMN_TARGET && cell[c][0] == '\0')
            return cm_error_set(err, path, line, 0, "empty '%s'", column_names[c]);
    cm_protocol *protocol = find_protocol(rules, cell[COLUMN_PROTOCOL]);
    if (!protocol)
        return cm_error_set(err, path, line, 0, "unknown protocol '%s' (not in the loaded rules)",
                            cell[COLUMN_PROTOCOL]);
    row->arm = find_arm(protocol, cell[COLUMN_ARM]);
    if (!row->arm)
        return cm_error_set(err, path, line, 0, "unknown arm '%s' (not an arm of %s)",
                            cell[COLUMN_ARM], protocol->id);
    const cm_oncotree *tree = rules->tree;
    row->node = tree ? cm_oncotree_find(tree, cell[COLUMN_TUMOUR_TYPE]) : CM_ONCOTREE_NOT_FOUND;
    if (row->node == CM_ONCOTREE_NOT_FOUND) {
        kstring_t suggestion = {0, 0, NULL};
        if (tree && cm_oncotree_suggest(tree, cell[COLUMN_TUMOUR_TYPE], 1, &suggestion) > 0)
            cm_error_set(err, path, line, 0, "unknown OncoTree code '%s' (did you mean %s?)",
                         cell[COLUMN_TUMOUR_TYPE], suggestion.s);
        else
            cm_error_set(err, path, line, 0, "unknown OncoTree code '%s'",
                         cell[COLUMN_TUMOUR_TYPE]);
        free(suggestion.s);
        return -1;
    }
    // A cohort the arm's own tumour types rule out could never be offered: the row or the
    // rule file is wrong, and a board must not read a state that cannot apply.
    const cm_arm *arm = row->arm;
    int included = arm->n_include == 0, excluded = 0;
    for (int i = 0; i < arm->n_include && !included; i++)
        included = cm_oncotree_is_within(tree, row->node, arm->include_nodes[i]) ||
                   row->node == arm->include_nodes[i];
    for (int i = 0; i < arm->n_exclude && !excluded; i++)
        excluded = cm_oncotree_is_within(tree, row->node, arm->exclude_nodes[i]);
    if (!included || excluded)
        return cm_error_set(err, path, line, 0, "%s/%s %s tumour type %s", protocol->id, arm->id,
                            excluded ? "excludes" : "does not include", cell[COLUMN_TUMOUR_TYPE]);
    static const char *const statuses[] = {"open", "closed", "suspended"};
    int status = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(cell[COLUMN_STATUS], statuses[i]) == 0)
            status = i;
    if (status < 0)
        return cm_error_set(err, path, line, 0,
                            "'status' must be open, closed or suspended, not '%s'",
                            cell[COLUMN_STATUS]);
    row->status = (cm_cohort_status)(CM_COHORT_OPEN + status);
    if (count_cell(cell[COLUMN_ENROLLED], 0, &row->enrolled) < 0)
        return cm_error_set(err, path, line, 0, "'enrolled' must be a whole number >= 0, not '%s'",
                            cell[COLUMN_ENROLLED]);
    if (count_cell(cell[COLUMN_TARGET], 1, &row->target) < 0)
        return cm_error_set(err, path, line, 0, "'target' must be a whole number >= 1, not '%s'",
                            cell[COLUMN_TARGET]);
    if (row->enrolled >= 0 && row->target > 0 && row->enrolled > row->target)
        return cm_error_set(err, path, line, 0, "enrolled %d is more than the target %d",
                            row->enrolled, row->target);
    if (cell[COLUMN_STAGE] && count_cell(cell[COLUMN_STAGE], 1, &row->stage) < 0)
        return cm_error_set(err, path, line, 0, "'stage' must be a whole number >= 1, not '%s'",
                            cell[COLUMN_STAGE]);
    if (!cell[COLUMN_STAGE])
        row->stage = -1;
    if (!cm_iso_date_is_valid(cell[COLUMN_UPDATED]))
        return cm_error_set(err, path, line, 0,
                            "'updated' must be a real date written YYYY-MM-DD, not '%s'",
                            cell[COLUMN_UPDATED]);
    row->is_enrolled_known = row->enrolled >= 0;
    if (row->enrolled < 0)
        row->enrolled = 0;
    if (row->target < 0)
        row->target = 0;
    if (row->stage < 0)
        row->stage = 0;
    row->code = strdup(cell[COLUMN_TUMOUR_TYPE]);
    row->updated = strdup(cell[COLUMN_UPDATED]);
    row->note = cell[COLUMN_NOTE] && cell[COLUMN_NOTE][0] ? strdup(cell[COLUMN_NOTE]) : NULL;
    if (!row->code || !row->updated || (cell[COLUMN_NOTE] && cell[COLUMN_NOTE][0] && !row->note))
        return cm_error_set(err, path, line, 0, "out of memory");
    for (char *p = row->code; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return 0;
}

// Reads the header: which column each field is. Returns the number of fields, or -1.
static int read_header(const char *path, int line, char **fields, int n, int *columns,
                       cm_error *err)
{
    int seen[N_COLUMNS] = {0};
    if (n > N_COLUMNS)
        return cm_error_set(err, path, line, 0,
                            "too many columns in the header (known: protocol, arm, tumour_type, "
                            "status, enrolled, target, updated, stage, note)");
    for (int i = 0; i < n; i++) {
        columns[i] = -1;
        for (int c = 0; c < N_COLUMNS; c++)
            if (strcmp(fields[i], column_names[c]) == 0)
                columns[i] = c;
        if (columns[i] < 0)
            return cm_error_set(err, path, line, 0,
                                "unknown column '%s' (known: protocol, arm, tumour_type, status, "
                                "enrolled, target, updated, stage, note)",
                                fields[i]);
        if (seen[columns[i]]++)
            return cm_error_set(err, path, line, 0, "column '%s' twice", fields[i]);
    }
    for (int c = 0; c < N_REQUIRED; c++)
        if (!seen[c])
            return cm_error_set(err, path, line, 0, "the header has no '%s' column",
                                column_names[c]);
    return n;
}

static int apply_row(cm_arm *arm, state_row *row, const char *path)
{
    cm_cohort *cohort = NULL;
    for (int i = 0; i < arm->n_cohorts && !cohort; i++)
        if (arm->cohorts[i].node == row->node)
            cohort = &arm->cohorts[i];
    if (!cohort) {
        cm_cohort *grown = realloc(arm->cohorts, (size_t)(arm->n_cohorts + 1) * sizeof *grown);
        if (!grown)
            return -1;
        arm->cohorts = grown;
        cohort = &arm->cohorts[arm->n_cohorts++];
        memset(cohort, 0, sizeof *cohort);
    } else {
        free(cohort->tumour_type);
        free(cohort->note);
        free(cohort->updated);
    }
    // The row replaces the whole state: nothing of the rule file's entry is kept.
    cohort->tumour_type = row->code;
    cohort->node = row->node;
    cohort->status = row->status;
    cohort->stage = row->stage;
    cohort->enrolled = row->enrolled;
    cohort->is_enrolled_known = row->is_enrolled_known;
    cohort->target = row->target;
    cohort->note = row->note;
    cohort->updated = row->updated;
    cohort->state_file = path;
    cohort->line = row->line;
    cohort->column = 0;
    row->code = row->note = row->updated = NULL;
    return 0;
}

int cm_ruleset_apply_cohort_states(cm_ruleset *rules, const char *path, cm_error *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cm_error_set(err, path, 0, 0, "cannot open the cohort states: %s", strerror(errno));
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int line_number = 0, n_columns = 0, columns[N_COLUMNS], status = 0;
    state_row *rows = NULL;
    size_t n_rows = 0;
    while (status == 0 && (length = getline(&line, &capacity, fp)) >= 0) {
        line_number++;
        if ((size_t)length != strlen(line)) {
            status = cm_error_set(err, path, line_number, 0, "a NUL byte in the line");
            break;
        }
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
            line[--length] = '\0';
        char *text = line;
        if (line_number == 1 && length >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            text += 3; // a spreadsheet's UTF-8 byte-order mark
        if (text[0] == '\0' || text[0] == '#')
            continue;
        // Fields split at tabs, in place; more than N_COLUMNS fields is an error below.
        char *fields[N_COLUMNS + 1];
        int n_fields = 0;
        for (char *p = text;;) {
            if (n_fields <= N_COLUMNS)
                fields[n_fields] = p;
            n_fields++;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        int n = n_fields <= N_COLUMNS ? n_fields : N_COLUMNS;
        if (n_columns == 0) {
            status = read_header(path, line_number, fields, n_fields, columns, err) < 0 ? -1 : 0;
            n_columns = n_fields;
            continue;
        }
        if (n_fields != n_columns) {
            status = cm_error_set(err, path, line_number, 0, "%d columns, the header has %d",
                                  n_fields, n_columns);
            break;
        }
        state_row *grown = realloc(rows, (n_rows + 1) * sizeof *rows);
        if (!grown) {
            status = cm_error_set(err, path, line_number, 0, "out of memory");
            break;
        }
        rows = grown;
        state_row *row = &rows[n_rows];
        status = read_row(rules, path, line_number, fields, n, columns, row, err);
        n_rows++; // counted even on error, so that its strings are freed
        for (size_t k = 0; status == 0 && k + 1 < n_rows; k++)
            if (rows[k].arm == row->arm && rows[k].node == row->node)
                status = cm_error_set(
                    err, path, line_number, 0, "a second row for %s/%s in %s (first at line %d)",
                    row->arm->protocol->id, row->arm->id, row->code, rows[k].line);
    }
    if (status == 0 && ferror(fp))
        status =
            cm_error_set(err, path, 0, 0, "cannot read the cohort states: %s", strerror(errno));
    if (status == 0 && n_columns == 0)
        status = cm_error_set(err, path, 0, 0, "empty file: a header line is required");
    fclose(fp);
    free(line);
    for (size_t i = 0; status == 0 && i < n_rows; i++)
        if (apply_row(rows[i].arm, &rows[i], path) < 0)
            status = cm_error_set(err, path, rows[i].line, 0, "out of memory");
    rows_free(rows, n_rows);
    return status;
}

/*
 * cBioPortal study folders: which files hold what (meta_*.txt, else the
 * usual file names), the clinical sample and patient files, and the data
 * files that are not MAFs: the discrete copy-number matrix (wide, and the
 * long form), structural variants (data_sv.txt) and the older fusion file
 * (data_fusions.txt). Mutation files are MAFs (maf.h).
 *
 * The readers stream one data row at a time and never allocate per row;
 * they know sample names, not sample facts: study.h joins the two. Every
 * value that would change a match and cannot be read is an error naming
 * file, line and column; what is skipped is counted (docs/cohort.md).
 */
#ifndef COHORTMATCH_CBIOPORTAL_H
#define COHORTMATCH_CBIOPORTAL_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/match.h"

/// The data files of a study folder (full paths; NULL or empty lists when absent).
typedef struct cm_cbioportal_files {
    char *clinical_sample;  // SAMPLE_ATTRIBUTES (or MIXED_ATTRIBUTES): the main one
    char *clinical_patient; // PATIENT_ATTRIBUTES: the main one
    char **more_clinical;   // further SAMPLE_ATTRIBUTES files (data_clinical_supp_*.txt)
    size_t n_more_clinical;
    char **mutations;        // MUTATION_EXTENDED (MAF)
    char **mutation_filters; // per mutation file: its meta file's variant_classification_filter,
                             // NULL when it has none (cBioPortal's default filter applies)
    size_t n_mutations;
    char **copy_number; // COPY_NUMBER_ALTERATION, DISCRETE or DISCRETE_LONG
    size_t n_copy_number;
    char **structural; // STRUCTURAL_VARIANT (data_sv.txt) and FUSION (data_fusions.txt)
    size_t n_structural;
    char **ignored;   // names in the folder that are not read ("case_lists/" for the folder),
    size_t n_ignored; // sorted: expression, segments, timelines, files no meta file names ...
} cm_cbioportal_files;

/// Returns 1 if path is a folder that holds a cBioPortal study (a meta_*.txt file, or a clinical
/// sample file under its usual name), else 0. Whether the study is readable is
/// cm_cbioportal_find_files()'s to say.
int cm_cbioportal_is_study(const char *path);

/// Finds the files of the study in folder (docs/cohort.md): when meta files name data files,
/// the data files they name and no other (a clinical sample file is still looked for by its
/// usual names when no meta file names one); without meta files, the usual names. Everything
/// else in the folder is listed in ignored. Returns 0, or -1 with err filled (no clinical
/// sample file, a meta file naming a file that does not exist). Free with
/// cm_cbioportal_files_free().
int cm_cbioportal_find_files(const char *folder, cm_cbioportal_files *files, cm_error *err);

/// Frees the paths; accepts NULL.
void cm_cbioportal_files_free(cm_cbioportal_files *files);

/// The cell a clinical fact was read from: the file (borrowed: one of the paths given to
/// cm_clinical_load_files()), its line and its 1-based column; file NULL when not given.
typedef struct cm_clinical_cell {
    const char *file;
    int line, column;
} cm_clinical_cell;

/// One sample of the clinical files, with its patient's facts.
typedef struct cm_clinical_sample {
    char *sample;        // SAMPLE_ID
    char *patient;       // PATIENT_ID, or NULL
    char *oncotree_code; // ONCOTREE_CODE as written, or NULL
    char *cancer_type;   // CANCER_TYPE_DETAILED, else CANCER_TYPE, or NULL
    int is_normal;       // SAMPLE_TYPE names a normal sample
    double tmb;          // TMB_NONSYNONYMOUS (else TMB), NAN when not given
    cm_msi_status msi;   // MSI_TYPE / MSI_STATUS, else MSI_SCORE (docs/cohort.md)
    double age;          // AGE (patient file, else sample file), NAN when not given
    cm_sex sex;          // SEX or GENDER
    int line;            // line in the sample file
    // Where each fact was read: ONCOTREE_CODE, TMB, the MSI column that decided, AGE, SEX
    // (in the patient file where it gives them, in a supplementary file where it added them).
    cm_clinical_cell code_cell, tmb_cell, msi_cell, age_cell, sex_cell;
} cm_clinical_sample;

typedef struct cm_clinical {
    cm_clinical_sample *samples; // in file order
    size_t n;
} cm_clinical;

/// Loads the clinical sample file and, when patient_path is not NULL, the patient file.
/// Returns 0, or -1 with err filled (no SAMPLE_ID column, an empty or duplicate SAMPLE_ID, a
/// TMB, score or age that is written but is not a number). Free with cm_clinical_free().
int cm_clinical_load(cm_clinical *clinical, const char *sample_path, const char *patient_path,
                     cm_error *err);

/// As cm_clinical_load(), then each of the n_more further sample files adds the facts its
/// samples do not have yet (and the samples the main file does not list): cBioPortal's
/// supplementary clinical files. A sample listed twice in one further file is read twice.
int cm_clinical_load_files(cm_clinical *clinical, const char *sample_path,
                           const char *const *more_paths, size_t n_more, const char *patient_path,
                           cm_error *err);

/// Frees the rows; accepts NULL.
void cm_clinical_free(cm_clinical *clinical);

/// MSI words of cBioPortal studies: MSI_TYPE Instable/Stable, MSI_STATUS MSI-H/MSS/MSI-L ...
/// Returns CM_MSI_UNSET for words that decide nothing (Indeterminate, Do not report).
cm_msi_status cm_cbioportal_msi_word(cm_slice value);

/// MSIsensor score (MSI_SCORE): >= 10 high, < 3 stable, in between CM_MSI_UNSET.
cm_msi_status cm_cbioportal_msi_score(double score);

/// Returns 1 if a SAMPLE_TYPE value names a normal sample ("Normal", "Blood Derived Normal",
/// "Solid Tissue Normal", ...).
int cm_cbioportal_is_normal_sample_type(cm_slice value);

/// Returns 1 if a sample id is a TCGA or TARGET barcode whose sample type code (the two digits
/// after the third '-') is 10-19: a normal sample.
int cm_is_normal_barcode(cm_slice sample);

/// One (sample, alteration) pair of a data row; the alteration borrows the row's text.
typedef struct cm_cbioportal_event {
    cm_slice sample;
    cm_alteration alteration; // alteration.sample is -1: the caller maps the name
} cm_cbioportal_event;

typedef struct cm_cbioportal_stats {
    uint64_t rows;         // data rows read
    uint64_t events;       // (sample, alteration) pairs returned
    uint64_t prefiltered;  // rows of genes no rule names
    uint64_t cna_no_gene;  // copy-number rows without a Hugo_Symbol whose Entrez id no row of
                           // the study names with a symbol
    uint64_t sv_no_gene;   // structural rows with no gene on either side
    uint64_t sv_same_gene; // structural rows within one gene (not a fusion)
    uint64_t sv_germline;  // structural rows whose SV_Status (Fusion_Status) is GERMLINE
} cm_cbioportal_stats;

/// Entrez gene ids -> Hugo symbols, learnt from a study's own rows that give both: cBioPortal
/// resolves a row that gives only Entrez_Gene_Id through its gene table; cohortmatch has none,
/// so it resolves such a row only when another row of the study named the id's symbol.
typedef struct cm_entrez_map cm_entrez_map;

/// Returns an empty map, or NULL when out of memory. Free with cm_entrez_map_free().
cm_entrez_map *cm_entrez_map_new(void);

/// Records that entrez names symbol (both copied; an id that is not a whole number above 0, an
/// empty or NA symbol, or an id recorded before is left alone). Returns 0, or -1 when out of
/// memory.
int cm_entrez_map_add(cm_entrez_map *map, cm_slice entrez, cm_slice symbol);

/// The symbol recorded for entrez (borrowed until the map is freed), or an empty slice.
cm_slice cm_entrez_map_get(const cm_entrez_map *map, cm_slice entrez);

/// Frees the map; accepts NULL.
void cm_entrez_map_free(cm_entrez_map *map);

/// A copy-number or structural-variant file read row by row.
typedef struct cm_cbioportal_reader cm_cbioportal_reader;

typedef enum cm_cbioportal_kind {
    CM_CBIOPORTAL_CNA_WIDE, // Hugo_Symbol, Entrez_Gene_Id, [Cytoband,] one column per sample
    CM_CBIOPORTAL_CNA_LONG, // Hugo_Symbol, Entrez_Gene_Id, Sample_Id, Value
    CM_CBIOPORTAL_SV,       // Sample_Id, Site1_Hugo_Symbol, Site2_Hugo_Symbol, ...
    CM_CBIOPORTAL_FUSION    // Hugo_Symbol, Tumor_Sample_Barcode, Fusion, Frame (older studies)
} cm_cbioportal_kind;

/// Opens a copy-number or structural-variant file; its kind is read from the header. Returns
/// NULL with err filled (missing file, a header none of the four kinds has). Close with
/// cm_cbioportal_close().
cm_cbioportal_reader *cm_cbioportal_open(const char *path, int threads, cm_error *err);

/// The kind the header showed.
cm_cbioportal_kind cm_cbioportal_reader_kind(const cm_cbioportal_reader *reader);

/// Skips the parse of rows that name none of the genes (copied). Returns 0, or -1 when out of
/// memory.
int cm_cbioportal_set_gene_filter(cm_cbioportal_reader *reader, const char *const *genes,
                                  size_t n_genes);

/// Gives the reader a map (borrowed; it must outlive the reader) to resolve rows that give an
/// Entrez id and no symbol, and to add the pairs of the rows that give both.
void cm_cbioportal_set_entrez_map(cm_cbioportal_reader *reader, cm_entrez_map *map);

/// Reads the next data row. Returns 1 with *events (borrowed until the next call; *n may be
/// 0: a row of zeros, a skipped row) set, 0 at the end, or -1 with err filled (file:line:col:
/// a copy-number value outside -2, -1.5, -1, 0, 1, 2, NA; an empty sample id; a row whose
/// number of fields is not the header's).
int cm_cbioportal_next(cm_cbioportal_reader *reader, const cm_cbioportal_event **events, size_t *n,
                       cm_error *err);

/// Counts so far (borrowed).
const cm_cbioportal_stats *cm_cbioportal_get_stats(const cm_cbioportal_reader *reader);

/// Closes the file and frees the reader; accepts NULL.
void cm_cbioportal_close(cm_cbioportal_reader *reader);

/// The copy-number class of a discrete value (-2 homozygous deletion, -1.5 and -1 deletion,
/// 1 gain, 2 amplification; 0 none). Returns 0 and sets *cnv, or -1 when the text is none of
/// them.
int cm_cbioportal_cna_class(cm_slice value, unsigned *cnv);

#endif

#!/usr/bin/env python3
"""Writes the two cBioPortal-format test studies in this folder from the real
TCGA MAF rows of testdata/maf/ (vcf2maf's test data, Apache-2.0).

    python3 testdata/cbioportal/make_studies.py

basket/   a study laid out as cBioPortal's datahub lays one out today: meta
          files, data_clinical_sample.txt and data_clinical_patient.txt with
          their four '#' header rows, data_mutations_extended.txt, the wide
          discrete copy-number matrix data_CNA.txt, data_sv.txt.
long-cna/ an older layout without meta files: data_mutations.txt whose
          HGVSp_Short has no "p.", the long copy-number form data_cna.txt,
          the deprecated data_fusions.txt, TCGA barcodes with a normal sample.

What is real and what is not (testdata/README.md says the same):
- Every mutation row is a real row of TCGA-B5-A0JV-01.ucec.maf or
  TCGA-BH-A18P-01.brca.maf, unchanged except Tumor_Sample_Barcode and
  Matched_Norm_Sample_Barcode (set to the synthetic sample's ids) and three
  columns added at the end: HGVSp_Short, t_ref_count, t_alt_count. The TCGA
  rows carry no protein change; HGVSp_Short is written by hand for the
  hotspot rows only, from their public coordinates (GRCh37): KRAS
  12:25398284 C>T p.G12D, NRAS 1:115256530 G>T p.Q61K, PIK3CA 3:178936082
  G>A p.E542K, ERBB2 17:37880220 T>C p.L755S. The read counts are invented.
- Clinical rows, copy-number values and structural variants are invented;
  the structural variants reuse the breakpoints of cBioPortal's own test
  study (EML4-ALK, NCOA4-RET, TMPRSS2-ERG) written in the data_sv.txt columns.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MAF = os.path.join(HERE, "..", "maf")

HOTSPOTS = {  # (gene, chrom, pos): protein change without "p."
    ("KRAS", "12", "25398284"): "G12D",
    ("NRAS", "1", "115256530"): "Q61K",
    ("PIK3CA", "3", "178936082"): "E542K",
    ("ERBB2", "17", "37880220"): "L755S",
}


def read_maf(name):
    with open(os.path.join(MAF, name)) as f:
        lines = [line.rstrip("\n") for line in f if not line.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    return header, rows


def find(rows, gene, pos=None):
    for row in rows:
        if row["Hugo_Symbol"] == gene and (pos is None or row["Start_Position"] == pos):
            return row
    raise KeyError(gene)


def write(path, lines):
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")


def mutation_line(header, row, sample, normal, protein_prefix, ref_count, alt_count):
    values = dict(row)
    values["Tumor_Sample_Barcode"] = sample
    values["Matched_Norm_Sample_Barcode"] = normal
    key = (row["Hugo_Symbol"], row["Chromosome"], row["Start_Position"])
    protein = HOTSPOTS.get(key, "")
    cells = [values[c] for c in header]
    cells += [protein_prefix + protein if protein else "", str(ref_count), str(alt_count)]
    return "\t".join(cells)


def clinical_header(columns, names, descriptions, types):
    return ["#" + "\t".join(names), "#" + "\t".join(descriptions), "#" + "\t".join(types),
            "#" + "\t".join("1" for _ in columns), "\t".join(columns)]


def basket(header, ucec, brca):
    out = os.path.join(HERE, "basket")
    os.makedirs(out, exist_ok=True)
    study = "cohortmatch_basket_test"
    write(os.path.join(out, "meta_study.txt"), [
        "type_of_cancer: mixed",
        "cancer_study_identifier: " + study,
        "name: cohortmatch basket test study (synthetic, from real TCGA MAF rows)",
        "description: Test data of cohortmatch; see testdata/cbioportal/make_studies.py.",
        "reference_genome: hg19",
    ])
    metas = {
        "meta_clinical_sample.txt": ("CLINICAL", "SAMPLE_ATTRIBUTES", "data_clinical_sample.txt"),
        "meta_clinical_patient.txt": ("CLINICAL", "PATIENT_ATTRIBUTES", "data_clinical_patient.txt"),
        "meta_mutations_extended.txt": ("MUTATION_EXTENDED", "MAF", "data_mutations_extended.txt"),
        "meta_CNA.txt": ("COPY_NUMBER_ALTERATION", "DISCRETE", "data_CNA.txt"),
        "meta_sv.txt": ("STRUCTURAL_VARIANT", "SV", "data_sv.txt"),
    }
    for name, (kind, datatype, data) in metas.items():
        write(os.path.join(out, name), [
            "cancer_study_identifier: " + study,
            "genetic_alteration_type: " + kind,
            "datatype: " + datatype,
            "data_filename: " + data,
        ])
    # PATIENT_ID, SAMPLE_ID, ONCOTREE_CODE, CANCER_TYPE, CANCER_TYPE_DETAILED, SAMPLE_TYPE,
    # TMB_NONSYNONYMOUS, MSI_TYPE, MSI_SCORE
    samples = [
        ("P01", "P01-T", "READ", "Colorectal Cancer", "Rectal Adenocarcinoma", "Primary", "4.2", "Stable", "0.4"),
        ("P01", "P01-N", "", "", "", "Blood Derived Normal", "NA", "NA", "NA"),
        ("P02", "P02-T", "IDC", "Breast Cancer", "Breast Invasive Ductal Carcinoma", "Metastasis", "2.1", "Stable", "0.1"),
        ("P03", "P03-T", "LUAD", "Non-Small Cell Lung Cancer", "Lung Adenocarcinoma", "Primary", "8.8", "Stable", "1.2"),
        ("P04", "P04-T", "UCEC", "Endometrial Cancer", "Uterine Endometrioid Carcinoma", "Primary", "38.5", "Instable", "24.7"),
        ("P06", "P06-T", "NA", "Colorectal Cancer", "Colorectal Adenocarcinoma", "Primary", "3.3", "Do not report", "NA"),
        ("P07", "P07-T", "GBM", "Glioma", "Glioblastoma Multiforme", "Primary", "1.9", "Stable", "0.0"),
        ("P08", "P08-T", "", "", "", "Primary", "NA", "NA", "NA"),
        ("P09", "P09-T", "XYZ", "Cancer of Unknown Primary", "Unknown", "Metastasis", "NA", "NA", "NA"),
        ("P10", "P10-T", "BLCA", "Bladder Cancer", "Bladder Urothelial Carcinoma", "Primary", "12", "Indeterminate", "5.5"),
    ]
    columns = ["PATIENT_ID", "SAMPLE_ID", "ONCOTREE_CODE", "CANCER_TYPE", "CANCER_TYPE_DETAILED",
               "SAMPLE_TYPE", "TMB_NONSYNONYMOUS", "MSI_TYPE", "MSI_SCORE"]
    lines = clinical_header(
        columns,
        ["Patient Identifier", "Sample Identifier", "Oncotree Code", "Cancer Type",
         "Cancer Type Detailed", "Sample Type", "TMB (nonsynonymous)", "MSI Type", "MSI Score"],
        ["Patient identifier", "Sample identifier", "Oncotree code", "Cancer type",
         "Cancer type detailed", "Sample type", "Tumour mutational burden", "MSI type",
         "MSIsensor score"],
        ["STRING", "STRING", "STRING", "STRING", "STRING", "STRING", "NUMBER", "STRING", "NUMBER"])
    lines += ["\t".join(s) for s in samples]
    write(os.path.join(out, "data_clinical_sample.txt"), lines)
    patients = [("P01", "61", "Male"), ("P02", "48", "Female"), ("P03", "70", "Female"),
                ("P04", "57", "Female"), ("P06", "66", "Male"), ("P07", "34", "Male"),
                ("P08", "NA", "Female"), ("P09", "52", "Male"), ("P10", "17", "Male")]
    lines = clinical_header(["PATIENT_ID", "AGE", "SEX"],
                            ["Patient Identifier", "Age", "Sex"],
                            ["Patient identifier", "Age at diagnosis", "Sex"],
                            ["STRING", "NUMBER", "STRING"])
    lines += ["\t".join(p) for p in patients]
    write(os.path.join(out, "data_clinical_patient.txt"), lines)

    head = "\t".join(header + ["HGVSp_Short", "t_ref_count", "t_alt_count"])
    lines = ["#version 2.4", head]
    kras, nras = find(ucec, "KRAS", "25398284"), find(ucec, "NRAS", "115256530")
    pik3ca, erbb2 = find(ucec, "PIK3CA", "178936082"), find(brca, "ERBB2", "37880220")
    plan = [  # sample, normal, rows (passengers are real rows of genes no bundled rule names)
        ("P01-T", "P01-N", [kras] + ucec[0:6]),
        ("P01-N", "P01-N", [kras]),  # a row of the normal sample: skipped with it
        ("P02-T", "P02-N", [erbb2] + brca[0:6]),
        ("P03-T", "P03-N", [nras] + brca[10:14]),
        ("P04-T", "P04-N", [pik3ca] + ucec[20:24]),
        ("P06-T", "P06-N", [kras]),
        ("P08-T", "P08-N", [erbb2]),
        ("P09-T", "P09-N", [kras]),
        ("P11-T", "P11-N", [erbb2]),  # a sample the clinical file does not list
    ]
    for sample, normal, rows in plan:
        for row in rows:
            lines.append(mutation_line(header, row, sample, normal, "p.", 180, 60))
    write(os.path.join(out, "data_mutations_extended.txt"), lines)

    tumours = [s[1] for s in samples]
    cna = {  # gene -> {sample: value}; absent samples are 0
        "ERBB2": {"P01-T": "2", "P02-T": "1", "P08-T": "2"},
        "CDKN2A": {"P07-T": "-2", "P03-T": "-1"},
        "BRCA2": {"P10-T": "-2", "P04-T": "-1.5"},
        "MET": {"P04-T": "1", "P06-T": "NA"},
        "TP53": {"P03-T": "-2"},
    }
    lines = ["Hugo_Symbol\tEntrez_Gene_Id\t" + "\t".join(tumours)]
    entrez = {"ERBB2": "2064", "CDKN2A": "1029", "BRCA2": "675", "MET": "4233", "TP53": "7157"}
    for gene, values in cna.items():
        lines.append("\t".join([gene, entrez[gene]] + [values.get(s, "0") for s in tumours]))
    lines.append("\t".join(["", "5979"] + ["2" if s == "P06-T" else "0" for s in tumours]))
    write(os.path.join(out, "data_CNA.txt"), lines)

    sv_columns = ["Sample_Id", "SV_Status", "Site1_Hugo_Symbol", "Site1_Ensembl_Transcript_Id",
                  "Site1_Chromosome", "Site1_Position", "Site2_Hugo_Symbol",
                  "Site2_Ensembl_Transcript_Id", "Site2_Chromosome", "Site2_Position",
                  "Site2_Effect_On_Frame", "NCBI_Build", "Class", "Event_Info",
                  "Tumor_Split_Read_Count", "Tumor_Paired_End_Read_Count"]
    sv_rows = [
        ("P03-T", "SOMATIC", "EML4", "ENST00000318522", "2", "42492091", "ALK",
         "ENST00000389048", "2", "29446394", "In_frame", "GRCh37", "INVERSION",
         "Protein Fusion: in frame {EML4:ALK}", "12", "30"),
        ("P06-T", "SOMATIC", "NCOA4", "ENST00000344348", "10", "51582939", "RET",
         "ENST00000340058", "10", "43612031", "in frame", "GRCh37", "INVERSION",
         "Fusion", "9", "21"),
        ("P04-T", "SOMATIC", "TMPRSS2", "ENST00000332149", "21", "42880007", "ERG",
         "ENST00000442448", "21", "39956869", "Out-of-frame", "GRCh37", "DELETION",
         "Protein Fusion: out of frame {TMPRSS2:ERG}", "5", "8"),
        ("P02-T", "SOMATIC", "EGFR", "ENST00000275493", "7", "55087058", "EGFR",
         "ENST00000275493", "7", "55223522", "NA", "GRCh37", "DELETION",
         "Deletion within transcript", "7", "11"),
        ("P10-T", "SOMATIC", "ETV6", "ENST00000396373", "12", "11905000", "NA",
         "NA", "12", "12100000", "NA", "GRCh37", "TRANSLOCATION", "Intergenic", "3", "6"),
    ]
    write(os.path.join(out, "data_sv.txt"),
          ["\t".join(sv_columns)] + ["\t".join(r) for r in sv_rows])


def long_cna(header, ucec, brca):
    out = os.path.join(HERE, "long-cna")
    os.makedirs(out, exist_ok=True)
    ucec_id, brca_id, normal_id = "TCGA-B5-A0JV-01", "TCGA-BH-A18P-01", "TCGA-B5-A0JV-11"
    columns = ["PATIENT_ID", "SAMPLE_ID", "CANCER_TYPE", "ONCOTREE_CODE", "TMB_NONSYNONYMOUS",
               "MSI_SCORE"]
    lines = clinical_header(columns,
                            ["Patient Identifier", "Sample Identifier", "Cancer Type",
                             "Oncotree Code", "TMB", "MSIsensor Score"],
                            ["Patient identifier", "Sample identifier", "Cancer type",
                             "Oncotree code", "Mutations per Mb", "MSIsensor score"],
                            ["STRING", "STRING", "STRING", "STRING", "NUMBER", "NUMBER"])
    lines += ["\t".join(["TCGA-B5-A0JV", ucec_id, "Endometrial Cancer", "UCEC", "9.7", "12.5"]),
              "\t".join(["TCGA-BH-A18P", brca_id, "Breast Cancer", "IDC", "3.1", "0.8"]),
              "\t".join(["TCGA-B5-A0JV", normal_id, "Endometrial Cancer", "UCEC", "NA", "NA"])]
    write(os.path.join(out, "data_clinical_sample.txt"), lines)
    head = "\t".join(header + ["HGVSp_Short", "t_ref_count", "t_alt_count"])
    lines = ["#version 2.4", head]
    for sample, rows in ((ucec_id, ucec), (brca_id, brca)):
        normal = sample[:-2] + "10"
        for row in rows:
            lines.append(mutation_line(header, row, sample, normal, "", 70, 30))
    lines.append(mutation_line(header, find(ucec, "KRAS", "25398284"), normal_id,
                               normal_id[:-2] + "10", "", 99, 1))
    write(os.path.join(out, "data_mutations.txt"), lines)
    write(os.path.join(out, "data_cna.txt"), [
        "Hugo_Symbol\tEntrez_Gene_Id\tSample_Id\tValue\tcbp_driver\tcbp_driver_annotation",
        "ERBB2\t2064\t%s\t2\tPutative_Driver\tamplified" % brca_id,
        "ERBB2\t2064\t%s\t0\t\t" % ucec_id,
        "# a comment line between rows",
        "PTEN\t5728\t%s\t-2\t\t" % ucec_id,
        "CDKN2A|p16\t1029\t%s\t-1.5\t\t" % ucec_id,
        "\t4893\t%s\t-2\t\t" % ucec_id,
        "MET\t4233\t%s\tNA\t\t" % brca_id,
        "CDK4\t1019\t%s\t2\t\t" % normal_id,
    ])
    write(os.path.join(out, "data_fusions.txt"), [
        "Hugo_Symbol\tEntrez_Gene_Id\tCenter\tTumor_Sample_Barcode\tFusion\tDNA_support\t"
        "RNA_support\tMethod\tFrame",
        "ROS1\t6098\tcohortmatch\t%s\tCD74-ROS1 fusion\tyes\tunknown\tunknown\tin-frame" % brca_id,
        "CD74\t972\tcohortmatch\t%s\tCD74-ROS1 fusion\tyes\tunknown\tunknown\tin-frame" % brca_id,
        "ALK\t238\tcohortmatch\t%s\tALK-intragenic\tyes\tunknown\tunknown\tunknown" % ucec_id,
    ])


def main():
    header, ucec = read_maf("TCGA-B5-A0JV-01.ucec.maf")
    header_brca, brca = read_maf("TCGA-BH-A18P-01.brca.maf")
    assert header == header_brca
    basket(header, ucec, brca)
    long_cna(header, ucec, brca)


if __name__ == "__main__":
    main()

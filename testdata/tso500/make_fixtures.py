#!/usr/bin/env python3
"""Writes the two hand-made TSO500 CombinedVariantOutput.tsv fixtures (testdata/README.md,
"TSO500"): no licensed real CVO is public. Run from this folder; the output is byte-stable."""

TAB = "\t"


def write(path, lines, width, crlf):
    end = "\r\n" if crlf else "\n"
    with open(path, "w", newline="") as out:
        for line in lines:
            cells = line.split(TAB) if line else [""]
            # TSO500 pads every line with tabs to the widest table of the file.
            cells += [""] * (width - len(cells))
            out.write(TAB.join(cells) + end)


SMALL_HEADER = ("Gene\tChromosome\tGenomic Position\tReference Call\tAlternative Call\t"
                "Allele Frequency\tDepth\tP-Dot Notation\tC-Dot Notation\tConsequence(s)\t"
                "Affected Exon(s)")

# LocalApp ruo-2.2.0.12 (hg19): the DNA values of the InPreD test pair CL-AcroMetrix
# (TSOPPI variant summary: TMB 238.5 with 305 eligible variants, MSI 4.42 % = 5/113;
# small variant table: gene, position, change, depth and VAF of each row below).
localapp = [
    "TruSight Oncology 500 - Combined Variant Output",
    "For Research Use Only. Not for use in diagnostic procedures.",
    "",
    "[Analysis Details]",
    "Pair ID\tCL-AcroMetrix_P",
    "DNA Sample ID\tCL-AcroMetrix-D01",
    "RNA Sample ID\tCL-AcroMetrix-R01",
    "Output Date\t2019-12-10",
    "Output Time\t14:02:11",
    "Module Version\truo-2.2.0.12",
    "Pipeline Version\truo-2.2.0.12",
    "",
    "[Sequencing Run Details]",
    "Run Name\t191206_NB501498_0174_AHWCNMBGXC",
    "DNA Sample Sheet Name\tSampleSheet.csv",
    "",
    "[TMB]",
    "Total TMB\t238.5",
    "Coding Region Size in Megabases\t1.28",
    "Number of Passing Eligible Variants\t305",
    "",
    "[MSI]",
    "Usable MSI Sites\t113",
    "Total MSI Sites Unstable\t5",
    "Percent Unstable MSI Sites\t4.42",
    "",
    "[Gene Amplifications]",
    "Gene\tFold Change",
    "EGFR\t1.509",
    "ERCC2\t1.597",
    "",
    "[Splice Variants]",
    "Gene\tAffected Exon\tBreakpoint 1\tBreakpoint 2\tSplice Supporting Reads\tReference Reads Transcript",
    "MET\t14/21\tchr7:116411708\tchr7:116414935\t153\t2011",
    "EGFR\t2-7/28\tchr7:55087058\tchr7:55223523\t41\t1840",
    "",
    "[Fusions]",
    "Gene Pair\tBreakpoint 1\tBreakpoint 2\tFusion Supporting Reads\tGene 1 Reference Reads\tGene 2 Reference Reads",
    "EML4-ALK\tchr2:42492091\tchr2:29446394\t87\t1402\t35",
    "CD74-ROS1;GOPC\tchr5:149784243\tchr6:117645578\t25\t3021\t12",
    "",
    "[Small Variants]",
    SMALL_HEADER,
    "BRAF\tchr7\t140453136\tA\tT\t0.15\t778\tNP_004324.2:p.(Val600Glu)\tNM_004333.4:c.1799T>A\tmissense_variant\t15/18",
    "EGFR\tchr7\t55241708\tG\tC\t0.194\t1160\tNP_005219.2:p.(Gly719Ala)\tNM_005228.3:c.2156G>C\tmissense_variant\t18/28",
    "EGFR\tchr7\t55259515\tT\tG\t0.138\t1351\tNP_005219.2:p.(Leu858Arg)\tNM_005228.3:c.2573T>G\tmissense_variant\t21/28",
    "KRAS\tchr12\t25398284\tC\tT\t0.069\t851\tNP_004976.2:p.(Gly12Asp)\tNM_004985.4:c.35G>A\tmissense_variant\t2/5",
    "AKT1\tchr14\t105246551\tC\tT\t0.046\t1307\tNP_005154.2:p.(Glu17Lys)\tNM_005163.2:c.49G>A\tmissense_variant:splice_region_variant\t2/13",
    "APC\tchr5\t112175171\tC\tT\t0.16\t992\tNP_000029.2:p.(Gln1294Ter)\tNM_000038.5:c.3880C>T\tstop_gained\t16/16",
    "APC\tchr5\t112174989\tCA\tC\t0.205\t1154\tNP_000029.2:p.(Ser1234ValfsTer31)\tNM_000038.5:c.3700del\tframeshift_variant\t16/16",
    "PIK3CA\tchr3\t178952085\tA\tG\t0.079\t824\tNP_006209.2:p.(His1047Arg)\tNM_006218.2:c.3140A>G\tmissense_variant\t21/21",
    "TP53\tchr17\t7578210\tT\tC\t0.512\t1388\t\tNM_000546.5:c.639A>G(p.(Arg213=))\tsynonymous_variant\t6/11",
    "\tchr1\t2488153\tA\tG\t0.497\t655\t\t\t\t",
]
write("localapp-2.2.CombinedVariantOutput.tsv", localapp, 11, crlf=True)

# DRAGEN TSO500 v2.6.2: its banner, LF, sections in another order, [GIS], a section this
# reader does not read ([Large Rearrangements]), no [Fusions] section, a lone NA for an empty
# section without its header, blank lines inside a table, an MSI value between the cut-offs.
dragen = [
    "DRAGEN TruSight Oncology 500 v2.6.2 Analysis Software - Combined Variant Output",
    "",
    "[Analysis Details]",
    "Pair ID\tNA",
    "DNA Sample ID\tPT-0417-D01",
    "RNA Sample ID\tNA",
    "Output Date\t2025-03-14",
    "Software Version\t2.6.2.4",
    "",
    "[Small Variants]",
    SMALL_HEADER,
    "KRAS\tchr12\t25398285\tC\tA\t0.312\t1204\tNP_004976.2:p.(Gly12Cys)\tNM_004985.4:c.34G>T\tmissense_variant\t2/5",
    "",
    "EGFR\tchr7\t55242464\tAGGAATTAAGAGAAGC\tA\t0.228\t967\tNP_005219.2:p.(Glu746_Ala750del)\tNM_005228.3:c.2236_2250del\tinframe_deletion\t19/28",
    "TP53\tchr17\t7577120\tC\tT\t0.41\t1150\tNP_000537.3:p.(Arg273His)\tNM_000546.5:c.818G>A\tmissense_variant\t8/11",
    "",
    "[TMB]",
    "Total TMB\t12.6",
    "Coding Region Size in Megabases\t1.27",
    "Number of Passing Eligible Variants\t16",
    "",
    "[MSI]",
    "Usable MSI Sites\t112",
    "Total MSI Sites Unstable\t16",
    "Percent Unstable MSI Sites\t14.29",
    "",
    "[GIS]",
    "Genomic Instability Score\t47",
    "",
    "[Copy Number Variants]",
    "Gene\tFold Change\tCopy Number Variant\tAbsolute Copy Number",
    "ERBB2\t4.1\t<DUP>\t9",
    "MET\t2.2\t<DUP>\t",
    "CDKN2A\t0.35\t<DEL>\t0",
    "PTEN\t0.6\t<DEL>\t1",
    "",
    "[Large Rearrangements]",
    "Gene\tChromosome\tStart\tStop\tAffected Exon(s)\tFold Change\tCNV Type",
    "BRCA2\tchr13\t32893200\t32907600\t2-10/27\t0.52\t<DEL>",
    "",
    "[Splice Variants]",
    "NA",
]
write("dragen-2.6.CombinedVariantOutput.tsv", dragen, 7, crlf=False)

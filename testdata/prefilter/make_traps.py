#!/usr/bin/env python3
"""Writes traps.vcf, undeclared.vcf and gt.vcf: hand-made records that a record prefilter could get
wrong (see testdata/README.md)."""
FIELDS = ("Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|"
          "HGVSc|HGVSp|Protein_position|Amino_acids|CANONICAL|MANE_SELECT|PICK|ALLELE_NUM")


def entry(allele, csq, symbol, feature, exon="", hgvsc="", hgvsp="", pp="", aa="", canonical="",
          mane="", pick="", feature_type="Transcript", allele_num=""):
    values = [allele, csq, "MODERATE", symbol, "ENSG00000157764" if symbol == "BRAF" else "",
              feature_type, feature, "protein_coding", exon, "", hgvsc, hgvsp, pp, aa, canonical,
              mane, pick, allele_num]
    assert len(values) == FIELDS.count("|") + 1
    return "|".join(values)


BRAF_V600E = entry("T", "missense_variant", "BRAF", "ENST00000646891.2", "15/18",
                   "ENST00000646891.2:c.1799T>A", "ENSP00000493543.1:p.Val600Glu", "600", "V/E",
                   "YES", "NM_004333.6", "1")
TUMOUR = "0/1:60,40:100:0.4"
NORMAL = "0/0:80,0:80:0"
records = [
    # 1. BRAF only as a substring: SYMBOL BRAFP1, and "BRAF" inside HGVSc and Feature: no rule gene.
    ("chr7", 140700000, "C", "T", "PASS", "CSQ=" + entry(
        "T", "missense_variant", "BRAFP1", "ENST_BRAF_LIKE", "2/3", "BRAF:c.10C>T",
        "p.Val600Glu", "600", "V/E", "YES", "", "1"), TUMOUR, NORMAL),
    # 2. The real BRAF V600E.
    ("chr7", 140753336, "A", "T", "PASS", "CSQ=" + BRAF_V600E, TUMOUR, NORMAL),
    # 3. BRAF named only by the third entry, a regulatory feature of another allele form.
    ("chr7", 140760000, "G", "A", "PASS", "CSQ=" + ",".join([
        entry("A", "intron_variant", "ZNF1", "ENST00000000001.1", canonical="YES", pick="1"),
        entry("A", "intron_variant", "ZNF1", "ENST00000000002.1"),
        entry("A", "missense_variant", "BRAF", "ENST00000644969.2", "16/19", "", "", "640",
              "V/E")]), TUMOUR, NORMAL),
    # 4. At the position of a `variant:` rule, intergenic: must reach the matcher.
    ("chr2", 1000, "A", "T", "PASS", "CSQ=" + entry(
        "T", "intergenic_variant", "", "", feature_type=""), TUMOUR, NORMAL),
    # 5. Multi-allelic with ALLELE_NUM and a '*' ALT: counts of both paths must agree.
    ("chr3", 2000, "C", "G,*", "PASS", "CSQ=" + ",".join([
        entry("G", "synonymous_variant", "ZNF2", "ENST00000000003.1", allele_num="1"),
        entry("*", "intron_variant", "ZNF2", "ENST00000000003.1", allele_num="2")]),
     "1/2:10,20,30:60:0.33,0.5", "0/0:40,0,0:40:0,0"),
    # 6. An entry whose allele names no ALT (counted as csq_allele_unmatched) and a deletion.
    ("chr3", 3000, "CAG", "C", "PASS", "CSQ=" + ",".join([
        entry("-", "intron_variant", "ZNF3", "ENST00000000004.1"),
        entry("AG", "intron_variant", "ZNF3", "ENST00000000005.1")]), TUMOUR, NORMAL),
    # 7. Tumour 0/0: not carried.
    ("chr3", 4000, "G", "T", "PASS", "CSQ=" + entry("T", "intron_variant", "ZNF4",
                                                      "ENST00000000006.1"),
     "0/0:100,0:100:0", NORMAL),
    # 8. Tumour GT missing: VAF from AF decides.
    ("chr3", 5000, "G", "T", "PASS", "CSQ=" + entry("T", "intron_variant", "ZNF5",
                                                      "ENST00000000007.1"),
     "./.:50,50:100:0.5", NORMAL),
    # 9. No annotation at all.
    ("chr3", 6000, "T", "C", "PASS", ".", TUMOUR, NORMAL),
    # 10. A deletion of BRAF as a symbolic allele with INFO/SVTYPE: never prefiltered.
    ("chr7", 140719327, "N", "<DEL>", "PASS", "SVTYPE=DEL;END=140924929;CSQ=" + entry(
        "deletion", "transcript_ablation", "BRAF", "ENST00000646891.2"), TUMOUR, NORMAL),
    # 11. KRAS named in a second annotation-like tag that is not the annotation.
    ("chr12", 25245350, "C", "T", "PASS", "NOTE=KRAS;CSQ=" + entry(
        "T", "missense_variant", "KRASP1", "ENST00000000008.1"), TUMOUR, NORMAL),
    # 12. Filtered hit in a rule gene.
    ("chr12", 25245351, "C", "A", "weak_evidence", "CSQ=" + entry(
        "A", "missense_variant", "KRAS", "ENST00000311936.8", "2/5",
        "ENST00000311936.8:c.34G>T", "ENSP00000308495.3:p.Gly12Cys", "12", "G/C", "YES",
        "NM_004985.5", "1"), TUMOUR, NORMAL),
    # 13. A sequence deletion whose entry names its class ("deletion") instead of its ALT, as
    #     VEP does for structural variants: the parser maps it to the only ALT.
    ("chr3", 7000, "CAGTT", "C", "PASS", "CSQ=" + entry(
        "deletion", "intron_variant", "ZNF6", "ENST00000000009.1"), TUMOUR, NORMAL),
]
# undeclared.vcf: records that carry what the header does not declare. vcf_parse() adds it to
# the header as it goes, and htslib may parse a later record differently for it, so the
# prefilter must send these to the full parse: both paths then change the header alike.
ZNF = entry("T", "intron_variant", "ZNF7", "ENST00000000010.1")
undeclared = [
    # 1. Everything declared: skipped.
    ("chr3", 1500, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR, NORMAL),
    # 2. An undeclared INFO key: parsed.
    ("chr3", 2000, "G", "T", "PASS", "XTRA=1;CSQ=" + ZNF, TUMOUR, NORMAL),
    # 3. An undeclared FILTER: parsed.
    ("chr3", 3000, "G", "T", "low_qual", "CSQ=" + ZNF, TUMOUR, NORMAL),
    # 4. An undeclared contig: parsed.
    ("chr5", 4000, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR, NORMAL),
    # 5. An undeclared FORMAT key: parsed.
    ("chr5", 5000, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR + ":7", NORMAL + ":8", "GT:AD:DP:AF:XF"),
    # 6.-9. The same again, now that records 2-5 have declared them: skipped.
    ("chr5", 6000, "G", "T", "PASS", "XTRA=2;CSQ=" + ZNF, TUMOUR, NORMAL),
    ("chr5", 7000, "G", "T", "weak_evidence;low_qual", "CSQ=" + ZNF, TUMOUR, NORMAL),
    ("chr5", 8000, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR + ":9", NORMAL + ":10", "GT:AD:DP:AF:XF"),
    ("chr5", 9000, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR, NORMAL),
    # 10. An INFO key declared only as FORMAT, and an empty INFO key: parsed.
    ("chr5", 10000, "G", "T", "PASS", "AD=3;;CSQ=" + ZNF, TUMOUR, NORMAL),
    # 11. A rule gene with an undeclared key: parsed (and reported).
    ("chr7", 140753336, "A", "T", "PASS", "YTRA=1;CSQ=" + BRAF_V600E, TUMOUR, NORMAL),
]


# gt.vcf: the tumour in the second column, and GT read from where the VCF specification puts
# it (first in FORMAT) or not.
gt_records = [
    # 1. Carried by the tumour (second column): skipped.
    ("chr3", 1500, "G", "T", "PASS", "CSQ=" + ZNF, NORMAL, TUMOUR),
    # 2. Carried by the normal only: skipped, counted as not carried.
    ("chr3", 2000, "G", "T", "PASS", "CSQ=" + ZNF, TUMOUR, NORMAL),
    # 3. GT second in FORMAT: parsed.
    ("chr3", 3000, "G", "T", "PASS", "CSQ=" + ZNF, "80,0:0/0:80:0", "60,40:0/1:100:0.4",
     "AD:GT:DP:AF"),
    # 4. Multi-allelic, the tumour carries both ALTs: skipped, two alterations.
    ("chr3", 4000, "G", "T,C", "PASS", "CSQ=" + ",".join([
        entry("T", "intron_variant", "ZNF7", "ENST00000000010.1"),
        entry("C", "intron_variant", "ZNF7", "ENST00000000010.1")]),
     "0/0:80,0,0:80:0,0", "1/2:10,30,40:80:0.38,0.5"),
    # 5. No call in the tumour: parsed (VAF from AF decides).
    ("chr3", 5000, "G", "T", "PASS", "CSQ=" + ZNF, NORMAL, "./.:50,50:100:0.5"),
]


def write(path, records, samples=("TUMOR", "NORMAL")):
    with open(path, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        out.write('##FILTER=<ID=PASS,Description="All filters passed">\n')
        out.write('##FILTER=<ID=weak_evidence,Description="Weak evidence">\n')
        out.write('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations '
                  'from Ensembl VEP. Format: %s">\n' % FIELDS)
        out.write('##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural '
                  'variant">\n')
        out.write('##INFO=<ID=END,Number=1,Type=Integer,Description="End position">\n')
        out.write('##INFO=<ID=NOTE,Number=1,Type=String,Description="A free-text note">\n')
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n')
        out.write('##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n')
        out.write('##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">\n')
        for name, length in (("chr2", 242193529), ("chr3", 198295559), ("chr7", 159345973),
                             ("chr12", 133275309)):
            out.write("##contig=<ID=%s,length=%d>\n" % (name, length))
        out.write("##tumor_sample=TUMOR\n")
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t%s\n" % "\t".join(samples))
        for record in records:
            chrom, pos, ref, alt, filt, info, tumour, normal = record[:8]
            keys = record[8] if len(record) > 8 else "GT:AD:DP:AF"
            out.write("%s\t%d\t.\t%s\t%s\t.\t%s\t%s\t%s\t%s\t%s\n" % (
                chrom, pos, ref, alt, filt, info, keys, tumour, normal))


write("traps.vcf", records)
write("undeclared.vcf", undeclared)
write("gt.vcf", gt_records, samples=("NORMAL", "TUMOR"))

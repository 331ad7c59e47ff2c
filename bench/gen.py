#!/usr/bin/env python3
"""Deterministic test data for cohortmatch's benchmark (python3 standard library only).

    gen.py vcf   -n RECORDS [--seed S] [--hotspot-rate R] [--truth FILE] [-o FILE]
    gen.py rules --arms N [--seed S] [-o FILE]
    gen.py maf   -p PATIENTS -n ROWS [--seed S] [--truth FILE] [--sheet FILE] [-o FILE]

`vcf` writes a VEP-annotated tumour/normal VCF on GRCh38 (real contig lengths):
~85% SNVs, the rest small deletions and insertions, ~2% multi-allelic; every
genic record carries one CSQ entry per transcript of its gene (1-6), in a
35-field VEP Format (SYMBOL, Feature, Consequence, HGVSc, HGVSp, EXON, INTRON,
CANONICAL, MANE_SELECT, PICK, Protein_position, Amino_acids, ...), FORMAT
GT:AD:DP:AF for TUMOR and NORMAL and ##tumor_sample=TUMOR. Actionable
hotspots (GRCh38 coordinates and MANE transcripts from the project's verified
list) are planted at `--hotspot-rate` per 100,000 records (at least 1, at most
one per hotspot); their list goes to `--truth` as TSV (chrom, pos, ref, alt,
gene, protein). Hotspots that are not planted appear as decoys that no arm may
report: at VAF 0.02 (below the gates), filtered, or in the normal only.

`rules` writes a protocol in cohortmatch's rule language with N arms over the
same ~500 genes whatever N is (so that 10 and 10,000 arms read the same
records): arms for the hotspots, two panel arms (truncating variants of every
rule gene), then arms on single codons. Background variants are generated so
that they never satisfy a rule: in rule genes they are non-coding, synonymous,
or missense at codons the rules never name (codon % 7 not 3 or 4, away from the
hotspots). Both outputs depend only on the arguments.

`maf` writes a cohort: a vcf2maf-style MAF (the 34 TCGA columns, then HGVSc, HGVSp,
HGVSp_Short, Transcript_ID, Exon_Number, read counts, Consequence, FILTER; GRCh38)
of PATIENTS patients and about ROWS rows, sorted by patient then position. Tumour
types follow a pan-cancer sequencing cohort's mix (`--sheet` writes sample and
tumour_type); rows per patient are log-normal (median ~70 at 100 a patient, a few
hypermutated); genes and consequences as for `vcf`, one transcript per row. Hotspots
are planted in solid tumours at per-type rates (KRAS G12D in pancreas, BRAF V600E in
melanoma and thyroid, EGFR in lung adenocarcinoma, PIK3CA in breast, ...); a fifth
of them are decoys (VAF 0.02, FILTER common_variant, or Mutation_Status LOH) that no
arm of `rules` may report. `--truth` lists (sample, arm of `rules`) for every planted
hotspot that is not a decoy: the exact set of candidates `match -r rules.yaml` must
give.
"""
import argparse
import random
import sys

CONTIGS = [
    ("chr1", 248956422), ("chr2", 242193529), ("chr3", 198295559), ("chr4", 190214555),
    ("chr5", 181538259), ("chr6", 170805979), ("chr7", 159345973), ("chr8", 145138636),
    ("chr9", 138394717), ("chr10", 133797422), ("chr11", 135086622), ("chr12", 133275309),
    ("chr13", 114364328), ("chr14", 107043718), ("chr15", 101991189), ("chr16", 90338345),
    ("chr17", 83257441), ("chr18", 80373285), ("chr19", 58617616), ("chr20", 64444167),
    ("chr21", 46709983), ("chr22", 50818468), ("chrX", 156040895), ("chrY", 57227415),
    ("chrM", 16569),
]

# Hotspots: GRCh38 coordinates and transcripts from ../shared/PROTOCOLS.md (verified list).
# (name, gene, chrom, pos, ref, alt, transcript, protein id, hgvsc, hgvsp, codon, aa, exon,
#  consequence)
HOTSPOTS = [
    ("BRAF_V600E", "BRAF", "chr7", 140753336, "A", "T", "ENST00000646891.2",
     "ENSP00000493543.1", "c.1799T>A", "p.Val600Glu", 600, "V/E", "15/18", "missense_variant"),
    ("KRAS_G12C", "KRAS", "chr12", 25245351, "C", "A", "ENST00000311936.8",
     "ENSP00000308495.3", "c.34G>T", "p.Gly12Cys", 12, "G/C", "2/5", "missense_variant"),
    ("KRAS_G12D", "KRAS", "chr12", 25245350, "C", "T", "ENST00000311936.8",
     "ENSP00000308495.3", "c.35G>A", "p.Gly12Asp", 12, "G/D", "2/5", "missense_variant"),
    ("KRAS_G13D", "KRAS", "chr12", 25245347, "C", "T", "ENST00000311936.8",
     "ENSP00000308495.3", "c.38G>A", "p.Gly13Asp", 13, "G/D", "2/5", "missense_variant"),
    ("NRAS_Q61K", "NRAS", "chr1", 114713909, "G", "T", "ENST00000369535.5",
     "ENSP00000358548.4", "c.181C>A", "p.Gln61Lys", 61, "Q/K", "3/7", "missense_variant"),
    ("EGFR_L858R", "EGFR", "chr7", 55191822, "T", "G", "ENST00000275493.7",
     "ENSP00000275493.2", "c.2573T>G", "p.Leu858Arg", 858, "L/R", "21/28", "missense_variant"),
    ("EGFR_T790M", "EGFR", "chr7", 55181378, "C", "T", "ENST00000275493.7",
     "ENSP00000275493.2", "c.2369C>T", "p.Thr790Met", 790, "T/M", "20/28", "missense_variant"),
    ("EGFR_E746_A750del", "EGFR", "chr7", 55174771, "AGGAATTAAGAGAAGC", "A",
     "ENST00000275493.7", "ENSP00000275493.2", "c.2235_2249del", "p.Glu746_Ala750del", 746,
     "ELREA/-", "19/28", "inframe_deletion"),
    ("PIK3CA_H1047R", "PIK3CA", "chr3", 179234297, "A", "G", "ENST00000263967.4",
     "ENSP00000263967.3", "c.3140A>G", "p.His1047Arg", 1047, "H/R", "21/21", "missense_variant"),
    ("PIK3CA_E545K", "PIK3CA", "chr3", 179218303, "G", "A", "ENST00000263967.4",
     "ENSP00000263967.3", "c.1633G>A", "p.Glu545Lys", 545, "E/K", "10/21", "missense_variant"),
    ("IDH1_R132H", "IDH1", "chr2", 208248388, "C", "T", "ENST00000345146.7",
     "ENSP00000345146.2", "c.395G>A", "p.Arg132His", 132, "R/H", "4/10", "missense_variant"),
    ("ERBB2_L755S", "ERBB2", "chr17", 39723967, "T", "C", "ENST00000269571.10",
     "ENSP00000269571.4", "c.2264T>C", "p.Leu755Ser", 755, "L/S", "19/27", "missense_variant"),
]
HOTSPOT_ARMS = [  # (arm id, drugs, leaf): one arm per hotspot gene, no exclusions
    ("BRAF-V600", "[dabrafenib, trametinib]", "{gene: BRAF, protein: V600}"),
    ("KRAS-G12-G13", "[sotorasib]", "{gene: KRAS, protein: [G12, G13]}"),
    ("NRAS-Q61", "[binimetinib]", "{gene: NRAS, protein: Q61}"),
    ("EGFR-SENS", "[osimertinib]",
     "{any: [{gene: EGFR, protein: [L858R, T790M]}, "
     "{gene: EGFR, exon: 19, consequence: inframe_deletion}]}"),
    ("PIK3CA-HOT", "[alpelisib]", "{gene: PIK3CA, protein: [H1047R, E545K]}"),
    ("IDH1-R132", "[ivosidenib]", "{gene: IDH1, protein: R132}"),
    ("ERBB2-MUT", "[neratinib]", "{gene: ERBB2, protein: L755S}"),
]
CANCER_GENES = """ABL1 AKT1 AKT2 AKT3 ALK APC AR ARAF ARID1A ARID1B ARID2 ASXL1 ATM ATR ATRX AURKA
AXL BAP1 BARD1 BCL2 BCOR BRAF BRCA1 BRCA2 BRIP1 BTK CARD11 CBL CCND1 CCND2 CCND3 CCNE1 CD274
CDH1 CDK12 CDK4 CDK6 CDKN1A CDKN2A CDKN2B CHEK1 CHEK2 CIC CREBBP CRKL CSF1R CTCF CTNNB1 DDR2
DICER1 DNMT3A EGFR EP300 EPHA2 ERBB2 ERBB3 ERBB4 ERCC2 ESR1 EZH2 FANCA FANCC FANCD2 FANCL FBXW7
FGF19 FGF3 FGFR1 FGFR2 FGFR3 FGFR4 FLT3 FOXA1 GATA3 GNA11 GNAQ GNAS HRAS IDH1 IDH2 IGF1R JAK1
JAK2 JAK3 KDM5C KDM6A KDR KEAP1 KIT KMT2A KMT2C KMT2D KRAS MAP2K1 MAP2K2 MAP3K1 MAPK1 MDM2 MDM4
MED12 MEN1 MET MLH1 MPL MRE11 MSH2 MSH6 MTOR MYC MYCN NBN NF1 NF2 NFE2L2 NOTCH1 NOTCH2 NOTCH3
NPM1 NRAS NTRK1 NTRK2 NTRK3 PALB2 PBRM1 PDGFRA PDGFRB PIK3CA PIK3CB PIK3R1 PMS2 POLD1 POLE
PPP2R1A PTCH1 PTEN PTPN11 RAD50 RAD51 RAD51B RAD51C RAD51D RAF1 RB1 RET RICTOR RNF43 ROS1 RUNX1
SETD2 SF3B1 SMAD4 SMARCA4 SMARCB1 SMO SPOP STK11 TERT TET2 TP53 TSC1 TSC2 U2AF1 VHL XRCC2
ZFHX3""".split()
# Symbols that contain a rule gene's symbol: a prefilter must compare whole fields.
TRAP_GENES = ["BRAFP1", "KRASP1", "EGFR-AS1", "PTENP1", "TP53I3", "MYCNOS", "NF1P2", "RET2"]
AMINO = ["Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys",
         "Met", "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val"]
ONE = dict(zip(AMINO, "ARNDCQEGHILKMFPSTWYV"))
BASES = "ACGT"
COMPLEMENT = {"A": "T", "C": "G", "G": "C", "T": "A"}
CSQ_FIELDS = ("Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|"
              "HGVSc|HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|"
              "Existing_variation|DISTANCE|STRAND|FLAGS|SYMBOL_SOURCE|HGNC_ID|CANONICAL|"
              "MANE_SELECT|MANE_PLUS_CLINICAL|TSL|APPRIS|CCDS|ENSP|SIFT|PolyPhen|gnomADe_AF|"
              "CLIN_SIG|PICK")
N_CSQ_FIELDS = CSQ_FIELDS.count("|") + 1
IMPACT = {"missense_variant": "MODERATE", "inframe_deletion": "MODERATE",
          "synonymous_variant": "LOW", "stop_gained": "HIGH", "frameshift_variant": "HIGH",
          "splice_region_variant&intron_variant": "LOW"}


def rule_genes():
    """The ~500 genes the rules name: real cancer genes, then synthetic FAM<n>A symbols."""
    genes = list(CANCER_GENES)
    n = 100
    while len(genes) < 500:
        genes.append("FAM%dA" % n)
        n += 1
    return genes


def background_genes():
    genes = []
    for family, count in (("ZNF", 700), ("OR%dA", 300), ("SLC%dA2", 300), ("LINC%05d", 500),
                          ("TMEM%d", 250), ("CCDC%d", 180), ("KIAA%04d", 200)):
        for i in range(1, count + 1):
            genes.append(family % i if "%" in family else "%s%d" % (family, i))
    return genes + TRAP_GENES


def mix(*values):
    h = 2166136261
    for v in values:
        h = ((h ^ (v & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
        h ^= h >> 13
    return h


class Genes:
    """Which gene a 100 kb window holds (fixed by the window), and its transcripts."""

    def __init__(self):
        self.rule = rule_genes()
        self.background = background_genes()
        self.hotspot_windows = {}
        for h in HOTSPOTS:
            self.hotspot_windows[(h[2], h[3] // 100000)] = h[1]

    def at(self, chrom_index, chrom, pos):
        window = pos // 100000
        g = self.hotspot_windows.get((chrom, window))
        if g:
            return g, True
        h = mix(chrom_index, window)
        u = (h % 10000) / 10000.0
        if u < 0.35:
            return None, False
        if u < 0.39:
            return self.rule[h % len(self.rule)], True
        return self.background[h % len(self.background)], False

    @staticmethod
    def transcripts(gene):
        h = mix(*[ord(c) for c in gene])
        n = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6][h % 20]
        base = 200000 + h % 700000
        return ["ENST%011d.%d" % (base + 37 * i, 1 + (h >> (4 + i)) % 9) for i in range(n)], h


def safe_codon(rng, gene, is_rule_gene):
    """A codon no rule names: rules use codons c with c % 7 == 3 (ranges c_c+1), and hotspots."""
    while True:
        c = rng.randint(2, 1200)
        if not is_rule_gene:
            return c
        if c % 7 in (3, 4):
            continue
        if any(h[1] == gene and abs(h[10] - c) <= 12 for h in HOTSPOTS):
            continue
        return c


def csq_entry(allele, consequence, gene, gene_id, transcript, biotype, exon, intron, hgvsc,
              hgvsp, cdna, cds, protein_position, amino_acids, codons, strand, canonical, mane,
              pick, ensp, existing, af):
    fields = [allele, consequence, IMPACT.get(consequence, "MODIFIER"), gene or "",
              gene_id, "Transcript" if transcript else "", transcript, biotype, exon, intron,
              hgvsc, hgvsp, cdna, cds, protein_position, amino_acids, codons, existing, "",
              strand, "", "HGNC" if gene else "", "", "YES" if canonical else "", mane, "",
              "1" if canonical else "", "P1" if canonical else "", "", ensp, "", "", af, "",
              "1" if pick else ""]
    return "|".join(fields)


def record_csq(rng, gene, is_rule_gene, ref, alts):
    """CSQ text for a background record: one entry per ALT x transcript."""
    entries = []
    for alt in alts:
        is_snv = len(ref) == 1 and len(alt) == 1
        if len(alt) < len(ref):
            vep_allele = "-" if len(alt) == 1 else alt[1:]
        elif len(alt) > len(ref):
            vep_allele = alt[1:]
        else:
            vep_allele = alt
        if gene is None:
            entries.append(csq_entry(vep_allele, "intergenic_variant", None, "", "", "", "",
                                     "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""))
            continue
        transcripts, h = Genes.transcripts(gene)
        gene_id = "ENSG%011d" % (100000 + h % 900000)
        strand = "1" if h & 1 else "-1"
        roll = rng.random()
        if not is_snv:
            consequence = ("intron_variant" if is_rule_gene or roll < 0.8 else
                           "frameshift_variant" if len(alt) != len(ref) else "intron_variant")
        elif roll < 0.50:
            consequence = "intron_variant"
        elif roll < 0.66:
            consequence = "missense_variant"
        elif roll < 0.75:
            consequence = "synonymous_variant"
        elif roll < 0.82:
            consequence = "3_prime_UTR_variant"
        elif roll < 0.88:
            consequence = "upstream_gene_variant"
        elif roll < 0.94:
            consequence = "downstream_gene_variant"
        elif roll < 0.97 or is_rule_gene:
            consequence = "splice_region_variant&intron_variant"
        else:
            consequence = "stop_gained"
        n_exons = 5 + h % 25
        codon = safe_codon(rng, gene, is_rule_gene)
        ref_aa = AMINO[rng.randrange(20)]
        alt_aa = AMINO[(AMINO.index(ref_aa) + 1 + rng.randrange(19)) % 20]
        existing = "rs%d" % rng.randint(10000, 999999999) if rng.random() < 0.4 else ""
        gnomad = "%.2e" % (rng.random() * 1e-3) if existing else ""
        for i, transcript in enumerate(transcripts):
            main = i == 0
            csq = consequence if main or rng.random() < 0.6 else "intron_variant"
            if is_rule_gene and not main:
                csq = "intron_variant"  # only the MANE transcript carries a protein change
            exon = intron = hgvsc = hgvsp = cdna = cds = pp = aa = codons = ensp = ""
            ensp_id = "ENSP%011d.%d" % (int(transcript[4:15]) + 1, 1 + i % 3)
            cpos = 3 * codon - 1
            if csq in ("missense_variant", "synonymous_variant", "stop_gained",
                       "frameshift_variant"):
                exon = "%d/%d" % (1 + codon % n_exons, n_exons)
                cds = str(cpos)
                cdna = str(cpos + 150)
                pp = str(codon)
                ensp = ensp_id
                if csq == "missense_variant":
                    aa = "%s/%s" % (ONE[ref_aa], ONE[alt_aa])
                    hgvsp = "%s:p.%s%d%s" % (ensp_id, ref_aa, codon, alt_aa)
                elif csq == "synonymous_variant":
                    aa = ONE[ref_aa]
                    hgvsp = "%s:p.%s%d%%3D" % (ensp_id, ref_aa, codon)
                elif csq == "stop_gained":
                    aa = "%s/*" % ONE[ref_aa]
                    hgvsp = "%s:p.%s%dTer" % (ensp_id, ref_aa, codon)
                else:
                    hgvsp = "%s:p.%s%dfs" % (ensp_id, ref_aa, codon)
                codons = "%s/%s" % ("gCa", "gTa")
                hgvsc = "%s:c.%d%s>%s" % (transcript, cpos, ref[0], alt[0]) if is_snv else \
                    "%s:c.%ddel" % (transcript, cpos)
            elif csq.endswith("intron_variant"):
                k = 1 + codon % (n_exons - 1)
                intron = "%d/%d" % (k, n_exons - 1)
                off = 1 + rng.randrange(2000)
                hgvsc = "%s:c.%d+%d%s>%s" % (transcript, cpos, off, ref[0], alt[0]) if is_snv \
                    else "%s:c.%d+%ddel" % (transcript, cpos, off)
            elif csq == "3_prime_UTR_variant":
                exon = "%d/%d" % (n_exons, n_exons)
                hgvsc = "%s:c.*%d%s>%s" % (transcript, 1 + rng.randrange(900), ref[0], alt[0])
            entries.append(csq_entry(
                vep_allele, csq, gene, gene_id, transcript,
                "protein_coding" if i < 3 else "nonsense_mediated_decay", exon, intron, hgvsc,
                hgvsp, cdna, cds, pp, aa, codons, strand, main, "NM_%06d.%d" % (h % 999999, 1 + h % 5)
                if main else "", main, ensp, existing, gnomad))
    return ",".join(entries)


def hotspot_csq(h):
    name, gene, chrom, pos, ref, alt, tx, ensp, hgvsc, hgvsp, codon, aa, exon, csq = h
    allele = "-" if len(alt) < len(ref) else alt
    entries = [csq_entry(allele, csq, gene, "ENSG%011d" % (100000 + codon), tx, "protein_coding",
                         exon, "", "%s:%s" % (tx, hgvsc), "%s:%s" % (ensp, hgvsp), "",
                         str(3 * codon - 1), str(codon), aa, "", "-1", True, "NM_000000.1", True,
                         ensp, "COSV%08d" % codon, "")]
    if gene == "BRAF":
        # BRAF's MANE Plus Clinical transcript numbers V600E as V640E: not the preferred one.
        entries.append(csq_entry(allele, csq, gene, "ENSG00000157764", "ENST00000644969.2",
                                 "protein_coding", "16/19", "", "ENST00000644969.2:c.1919T>A",
                                 "ENSP00000496776.1:p.Val640Glu", "", "1919", "640", aa, "",
                                 "-1", False, "", False, "ENSP00000496776.1", "", ""))
    return ",".join(entries)


def header(out, seed):
    out.write("##fileformat=VCFv4.2\n")
    out.write("##source=cohortmatch-bench-gen seed=%d\n" % seed)
    out.write('##FILTER=<ID=PASS,Description="All filters passed">\n')
    out.write('##FILTER=<ID=weak_evidence,Description="Mutation does not meet likelihood '
              'threshold">\n')
    out.write('##INFO=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">\n')
    out.write('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
              'Ensembl VEP. Format: %s">\n' % CSQ_FIELDS)
    out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
    out.write('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n')
    out.write('##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n')
    out.write('##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">\n')
    for name, length in CONTIGS:
        out.write("##contig=<ID=%s,length=%d,assembly=GRCh38>\n" % (name, length))
    out.write("##reference=GRCh38\n##tumor_sample=TUMOR\n##normal_sample=NORMAL\n")
    out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\tNORMAL\n")


def sample_columns(rng, n_alts, vaf, depth, tumour_carries=True):
    alt_reads = int(round(depth * vaf))
    if n_alts == 1:
        gt = "0/1" if tumour_carries else "0/0"
        tumour = "%s:%d,%d:%d:%.3f" % (gt, depth - alt_reads, alt_reads, depth, vaf)
    else:
        tumour = "0/1:%d,%d%s:%d:%.3f%s" % (depth - alt_reads, alt_reads, ",0" * (n_alts - 1),
                                            depth, vaf, ",0" * (n_alts - 1))
    nd = rng.randint(20, 80)
    normal = "0/0:%d,%s:%d:%s" % (nd, ",".join(["0"] * n_alts), nd, ",".join(["0"] * n_alts))
    return tumour, normal


def write_vcf(args):
    rng = random.Random(args.seed)
    genes = Genes()
    n = args.records
    n_hot = min(len(HOTSPOTS), max(1, int(round(n * args.hotspot_rate / 100000.0))))
    order = list(range(len(HOTSPOTS)))
    random.Random(args.seed + 1).shuffle(order)
    planted = sorted(order[:n_hot])
    decoys = sorted(order[n_hot:])
    special = {}
    for i in planted:
        special[(HOTSPOTS[i][2], HOTSPOTS[i][3])] = ("planted", HOTSPOTS[i])
    for k, i in enumerate(decoys):
        special[(HOTSPOTS[i][2], HOTSPOTS[i][3])] = (("low_vaf", "filtered", "normal_only")[k % 3],
                                                     HOTSPOTS[i])
    n_background = max(0, n - len(special))
    total = float(sum(length for _, length in CONTIGS))
    counts = [int(n_background * length / total) for _, length in CONTIGS]
    counts[0] += n_background - sum(counts)
    out = open(args.output, "w") if args.output != "-" else sys.stdout
    header(out, args.seed)
    truth = []
    write = out.write
    for ci, (chrom, length) in enumerate(CONTIGS):
        positions = sorted(rng.randint(1, length - 20) for _ in range(counts[ci]))
        specials = sorted(p for (c, p) in special if c == chrom)
        positions = sorted(set(positions) | set(specials))
        last_pos = 0
        for pos in positions:
            if pos == last_pos:
                continue
            last_pos = pos
            kind = special.get((chrom, pos))
            if kind:
                role, h = kind
                name, gene, _, _, ref, alt, *_ = h
                vaf = 0.02 if role == "low_vaf" else round(0.15 + rng.random() * 0.35, 3)
                depth = rng.randint(120, 400)
                filt = "weak_evidence" if role == "filtered" else "PASS"
                tumour, normal = sample_columns(rng, 1, vaf, depth, role != "normal_only")
                if role == "normal_only":
                    normal = "0/1:%d,%d:%d:0.300" % (70, 30, 100)
                write("%s\t%d\t.\t%s\t%s\t.\t%s\tDP=%d;CSQ=%s\tGT:AD:DP:AF\t%s\t%s\n" % (
                    chrom, pos, ref, alt, filt, depth, hotspot_csq(h), tumour, normal))
                if role == "planted":
                    truth.append((chrom, pos, ref, alt, gene, h[9]))
                continue
            gene, is_rule = genes.at(ci, chrom, pos)
            ref = BASES[rng.randrange(4)]
            roll = rng.random()
            if roll < 0.85:
                alts = [BASES[(BASES.index(ref) + 1 + rng.randrange(3)) % 4]]
            elif roll < 0.95:
                k = rng.randint(1, 12)
                ref = ref + "".join(BASES[rng.randrange(4)] for _ in range(k))
                alts = [ref[0]]
            else:
                alts = [ref + "".join(BASES[rng.randrange(4)] for _ in range(rng.randint(1, 8)))]
            if rng.random() < 0.02 and len(ref) == 1 and len(alts[0]) == 1:
                alts.append(next(b for b in BASES if b != ref and b != alts[0]))
            vaf = round(0.03 + rng.random() * 0.5, 3)
            depth = rng.randint(15, 250)
            filt = "PASS" if rng.random() < 0.9 else "weak_evidence"
            tumour, normal = sample_columns(rng, len(alts), vaf, depth)
            write("%s\t%d\t.\t%s\t%s\t%d\t%s\tDP=%d;CSQ=%s\tGT:AD:DP:AF\t%s\t%s\n" % (
                chrom, pos, ref, ",".join(alts), rng.randint(20, 900), filt, depth + 40,
                record_csq(rng, gene, is_rule, ref, alts), tumour, normal))
    if out is not sys.stdout:
        out.close()
    if args.truth:
        with open(args.truth, "w") as t:
            t.write("chrom\tpos\tref\talt\tgene\thgvsp\n")
            for row in truth:
                t.write("%s\t%d\t%s\t%s\t%s\t%s\n" % row)


def write_rules(args):
    rng = random.Random(args.seed)
    genes = rule_genes()
    out = open(args.output, "w") if args.output != "-" else sys.stdout
    w = out.write
    w("# Generated by bench/gen.py rules --arms %d --seed %d: a benchmark protocol, not a trial.\n"
      % (args.arms, args.seed))
    w("cohortmatch: 1\nprotocol:\n  id: BENCH%d\n  name: Benchmark protocol with %d arms\n"
      % (args.arms, args.arms))
    w('  version: "1"\n  source: bench/gen.py\n')
    w("defaults:\n  min_vaf: 0.05\n  min_depth: 30\n  pass_only: true\n"
      "  transcripts: preferred\narms:\n")
    arms = []
    for arm_id, drugs, leaf in HOTSPOT_ARMS:
        arms.append((arm_id, drugs, leaf))
    # Two panel arms: truncating variants of every rule gene (so that every size names all).
    half = len(genes) // 2
    arms.append(("PANEL-LOF-A", "[olaparib]",
                 "{gene: [%s], consequence: truncating}" % ", ".join(genes[:half])))
    arms.append(("PANEL-LOF-B", "[talazoparib]",
                 "{gene: [%s], consequence: truncating}" % ", ".join(genes[half:])))
    i = 0
    while len(arms) < args.arms:
        gene = genes[i % len(genes)]
        codon = 7 * rng.randint(1, 170) + 3
        aa = "ARNDCQEGHILKMFPSTWYV"[rng.randrange(20)]
        if i % 5 == 4:
            leaf = "{all: [{gene: %s, protein: %s%d}, {not: {gene: %s, consequence: " \
                   "truncating}}]}" % (gene, aa, codon, genes[(i * 7) % len(genes)])
        elif i % 5 == 3:
            leaf = "{gene: %s, protein: %s%d_%s%d}" % (gene, aa, codon, aa, codon + 1)
        else:
            leaf = "{gene: %s, protein: %s%d, min_vaf: 0.1}" % (gene, aa, codon)
        arms.append(("ARM-%05d" % i, "[drug%d]" % (i % 97), leaf))
        i += 1
    for arm_id, drugs, leaf in arms[:max(args.arms, 1)]:
        w("  - id: %s\n    drugs: %s\n    match: %s\n" % (arm_id, drugs, leaf))
        w("    tumour_types: {include: [SOLID]}\n")
    if out is not sys.stdout:
        out.close()


# Tumour types of the generated cohort (OncoTree codes) and their share: roughly the mix of
# a pan-cancer clinical sequencing cohort; AML (a liquid tumour) gets no hotspot.
COHORT_TYPES = [("LUAD", 14), ("IDC", 9), ("COAD", 6), ("READ", 3), ("PRAD", 6), ("PAAD", 5),
                ("BLCA", 4), ("SKCM", 4), ("GB", 3), ("HGSOC", 3), ("UCEC", 3), ("STAD", 2),
                ("LUSC", 2), ("CHOL", 2), ("THPA", 2), ("ESCA", 2), ("HNSC", 2), ("ILC", 2),
                ("CCRCC", 2), ("ODG", 1), ("HCC", 1), ("GIST", 1), ("SCLC", 1), ("MEL", 1),
                ("AML", 3), ("LUAD", 1), ("UCS", 1), ("ACC", 1), ("MPNST", 1), ("CUP", 1)]
# Planting rates of the hotspots per tumour type (a hotspot not listed for a type: 0.5%).
HOTSPOT_RATES = {
    "BRAF_V600E": {"SKCM": 0.40, "THPA": 0.40, "COAD": 0.08, "LUAD": 0.02},
    "KRAS_G12D": {"PAAD": 0.35, "COAD": 0.12, "READ": 0.12, "LUAD": 0.04},
    "KRAS_G12C": {"LUAD": 0.12, "COAD": 0.03},
    "KRAS_G13D": {"COAD": 0.06, "READ": 0.06},
    "NRAS_Q61K": {"SKCM": 0.15},
    "EGFR_L858R": {"LUAD": 0.08},
    "EGFR_E746_A750del": {"LUAD": 0.08},
    "EGFR_T790M": {"LUAD": 0.01},
    "PIK3CA_H1047R": {"IDC": 0.15, "ILC": 0.15, "UCEC": 0.10},
    "PIK3CA_E545K": {"IDC": 0.08, "BLCA": 0.05},
    "IDH1_R132H": {"ODG": 0.60, "GB": 0.05, "CHOL": 0.10},
    "ERBB2_L755S": {"IDC": 0.02},
}
HOTSPOT_ARM = {"BRAF": "BRAF-V600", "KRAS": "KRAS-G12-G13", "NRAS": "NRAS-Q61",
               "EGFR": "EGFR-SENS", "PIK3CA": "PIK3CA-HOT", "IDH1": "IDH1-R132",
               "ERBB2": "ERBB2-MUT"}
MAF_COLUMNS = ("Hugo_Symbol Entrez_Gene_Id Center NCBI_Build Chromosome Start_Position "
               "End_Position Strand Variant_Classification Variant_Type Reference_Allele "
               "Tumor_Seq_Allele1 Tumor_Seq_Allele2 dbSNP_RS dbSNP_Val_Status "
               "Tumor_Sample_Barcode Matched_Norm_Sample_Barcode Match_Norm_Seq_Allele1 "
               "Match_Norm_Seq_Allele2 Tumor_Validation_Allele1 Tumor_Validation_Allele2 "
               "Match_Norm_Validation_Allele1 Match_Norm_Validation_Allele2 "
               "Verification_Status Validation_Status Mutation_Status Sequencing_Phase "
               "Sequence_Source Validation_Method Score BAM_File Sequencer Tumor_Sample_UUID "
               "Matched_Norm_Sample_UUID HGVSc HGVSp HGVSp_Short Transcript_ID Exon_Number "
               "t_depth t_ref_count t_alt_count n_depth n_ref_count n_alt_count Consequence "
               "FILTER").split()
MAF_CLASS = {"missense_variant": "Missense_Mutation", "synonymous_variant": "Silent",
             "stop_gained": "Nonsense_Mutation", "intron_variant": "Intron",
             "3_prime_UTR_variant": "3'UTR", "5_prime_UTR_variant": "5'UTR",
             "upstream_gene_variant": "5'Flank", "downstream_gene_variant": "3'Flank",
             "splice_region_variant&intron_variant": "Splice_Region",
             "inframe_deletion": "In_Frame_Del"}


def maf_row(rng, sample, chrom, pos, gene, is_rule_gene, ref, alt, consequence, hgvsp3,
            hgvsp_short, transcript, exon, vaf, depth, status="Somatic", filt="PASS"):
    """One MAF line (47 columns)."""
    if len(alt) < len(ref):  # a deletion, MAF-style: no anchor base
        maf_ref, maf_alt, start = ref[1:], "-", pos + 1
        end, vtype = start + len(maf_ref) - 1, "DEL"
    elif len(alt) > len(ref):
        maf_ref, maf_alt, start, end, vtype = "-", alt[1:], pos, pos + 1, "INS"
    else:
        maf_ref, maf_alt, start, end, vtype = ref, alt, pos, pos + len(ref) - 1, "SNP"
    if consequence == "frameshift_variant":
        vclass = "Frame_Shift_Del" if vtype == "DEL" else "Frame_Shift_Ins"
    else:
        vclass = MAF_CLASS.get(consequence, "Missense_Mutation")
    alt_reads = int(round(depth * vaf))
    n_depth = rng.randint(30, 120)
    hgvsc = "c.%d%s>%s" % (rng.randint(10, 3000), maf_ref[0], maf_alt[0]) \
        if vtype == "SNP" and transcript else ""
    cells = [gene, "0", "bench", "GRCh38", chrom, str(start), str(end), "+", vclass, vtype,
             maf_ref, maf_ref, maf_alt, "", "", sample, sample[:-2] + "-N", maf_ref, maf_ref,
             "", "", "", "", "", "", status, "", "WXS", "", "", "", "Illumina", "", "",
             hgvsc, hgvsp3, hgvsp_short, transcript, exon, str(depth), str(depth - alt_reads),
             str(alt_reads), str(n_depth), str(n_depth), "0", consequence, filt]
    return "\t".join(cells) + "\n"


def write_maf(args):
    rng = random.Random(args.seed)
    genes = Genes()
    types, weights = zip(*COHORT_TYPES)
    patients = ["BENCH-%05d-T" % (i + 1) for i in range(args.patients)]
    tumour = [rng.choices(types, weights)[0] for _ in patients]
    # Rows per patient: log-normal, scaled to the total asked for.
    raw = [rng.lognormvariate(0, 0.9) for _ in patients]
    scale = args.rows / sum(raw)
    counts = [max(1, int(r * scale)) for r in raw]
    total = float(sum(length for _, length in CONTIGS[:-1]))
    weights_chrom = [length / total for _, length in CONTIGS[:-1]]
    out = open(args.output, "w") if args.output != "-" else sys.stdout
    w = out.write
    w("#version 2.4\n#generated by bench/gen.py maf -p %d -n %d --seed %d\n"
      % (args.patients, args.rows, args.seed))
    w("\t".join(MAF_COLUMNS) + "\n")
    truth = []
    for sample, code, n in zip(patients, tumour, counts):
        rows = []
        # Planted hotspots (solid tumours only): a fifth are decoys no arm may report.
        if code != "AML":
            for h in HOTSPOTS:
                rate = HOTSPOT_RATES.get(h[0], {}).get(code, 0.005)
                if rng.random() >= rate:
                    continue
                name, gene, chrom, pos, ref, alt, tx, ensp, hgvsc, hgvsp, codon, aa, exon, \
                    csq = h
                role = rng.choice(["planted"] * 12 + ["low_vaf", "filtered", "loh"])
                vaf = 0.02 if role == "low_vaf" else round(0.1 + rng.random() * 0.4, 3)
                if csq == "inframe_deletion":
                    short = "p.E746_A750del"
                else:
                    short = "p.%s%d%s" % (ONE[hgvsp[2:5]], codon, ONE[hgvsp[-3:]])
                rows.append((CONTIGS.index(next(c for c in CONTIGS if c[0] == chrom)), pos,
                             maf_row(rng, sample, chrom, pos, gene, True, ref, alt, csq, hgvsp,
                                     short, tx.split(".")[0], exon.split("/")[0] + "/" +
                                     exon.split("/")[1], vaf, rng.randint(150, 600),
                                     "LOH" if role == "loh" else "Somatic",
                                     "common_variant" if role == "filtered" else "PASS")))
                if role == "planted":
                    truth.append((sample, HOTSPOT_ARM[gene]))
        for _ in range(n):
            ci = rng.choices(range(len(CONTIGS) - 1), weights_chrom)[0]
            chrom, length = CONTIGS[ci]
            pos = rng.randint(1, length - 20)
            gene, is_rule = genes.at(ci, chrom, pos)
            if gene is None:  # MAF rows are genic: an exome's intergenic calls are rare
                gene, is_rule = genes.background[mix(ci, pos) % len(genes.background)], False
            if gene in HOTSPOT_ARM and not is_rule:
                is_rule = True
            ref = BASES[rng.randrange(4)]
            roll = rng.random()
            if roll < 0.88:
                alt = BASES[(BASES.index(ref) + 1 + rng.randrange(3)) % 4]
            elif roll < 0.96:
                ref = ref + "".join(BASES[rng.randrange(4)] for _ in range(rng.randint(1, 12)))
                alt = ref[0]
            else:
                alt = ref + "".join(BASES[rng.randrange(4)] for _ in range(rng.randint(1, 8)))
            roll = rng.random()
            if len(ref) != len(alt):
                consequence = "intron_variant" if is_rule or roll < 0.5 else "frameshift_variant"
            elif roll < 0.55:
                consequence = "missense_variant"
            elif roll < 0.75:
                consequence = "synonymous_variant"
            elif roll < 0.83:
                consequence = "intron_variant"
            elif roll < 0.89:
                consequence = "3_prime_UTR_variant"
            elif roll < 0.93 or is_rule:
                consequence = "splice_region_variant&intron_variant"
            else:
                consequence = "stop_gained"
            transcripts, h = Genes.transcripts(gene)
            codon = safe_codon(rng, gene, is_rule)
            ref_aa = AMINO[rng.randrange(20)]
            alt_aa = AMINO[(AMINO.index(ref_aa) + 1 + rng.randrange(19)) % 20]
            n_exons = 5 + h % 25
            hgvsp3 = short = exon = ""
            if consequence == "missense_variant":
                hgvsp3 = "p.%s%d%s" % (ref_aa, codon, alt_aa)
                short = "p.%s%d%s" % (ONE[ref_aa], codon, ONE[alt_aa])
            elif consequence == "synonymous_variant":
                hgvsp3 = "p.%s%d=" % (ref_aa, codon)
                short = "p.%s%d=" % (ONE[ref_aa], codon)
            elif consequence == "stop_gained":
                hgvsp3 = "p.%s%dTer" % (ref_aa, codon)
                short = "p.%s%d*" % (ONE[ref_aa], codon)
            elif consequence == "frameshift_variant":
                hgvsp3 = "p.%s%dfs" % (ref_aa, codon)
                short = "p.%s%dfs" % (ONE[ref_aa], codon)
            if short:
                exon = "%d/%d" % (1 + codon % n_exons, n_exons)
            vaf = round(0.05 + rng.random() * 0.5, 3)
            filt = "PASS" if rng.random() < 0.95 else "common_variant"
            rows.append((ci, pos, maf_row(rng, sample, chrom, pos, gene, is_rule, ref, alt,
                                          consequence, hgvsp3, short,
                                          transcripts[0].split(".")[0], exon, vaf,
                                          rng.randint(40, 400), "Somatic", filt)))
        rows.sort(key=lambda r: (r[0], r[1]))
        for row in rows:
            w(row[2])
    if out is not sys.stdout:
        out.close()
    if args.truth:
        with open(args.truth, "w") as t:
            t.write("sample\tarm\n")
            for sample, arm in sorted(set(truth)):
                t.write("%s\t%s\n" % (sample, arm))
    if args.sheet:
        with open(args.sheet, "w") as s:
            s.write("sample\ttumour_type\n")
            for sample, code in zip(patients, tumour):
                s.write("%s\t%s\n" % (sample, code))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("vcf")
    v.add_argument("-n", "--records", type=int, required=True)
    v.add_argument("--seed", type=int, default=1)
    v.add_argument("--hotspot-rate", type=float, default=1.0,
                   help="planted hotspots per 100,000 records (at least 1, at most %d)"
                   % len(HOTSPOTS))
    v.add_argument("--truth", help="write the planted hotspots here (TSV)")
    v.add_argument("-o", "--output", default="-")
    r = sub.add_parser("rules")
    r.add_argument("--arms", type=int, required=True)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("-o", "--output", default="-")
    m = sub.add_parser("maf")
    m.add_argument("-p", "--patients", type=int, required=True)
    m.add_argument("-n", "--rows", type=int, required=True)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--truth", help="write (sample, arm) of every planted hotspot here (TSV)")
    m.add_argument("--sheet", help="write the samples' tumour types here (TSV)")
    m.add_argument("-o", "--output", default="-")
    args = p.parse_args()
    if args.command == "vcf":
        write_vcf(args)
    elif args.command == "maf":
        write_maf(args)
    else:
        write_rules(args)


if __name__ == "__main__":
    main()

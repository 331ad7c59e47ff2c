#!/usr/bin/env python3
"""Generate testdata/demo/patient.vcf and testdata/reference/*.vcf (hand-made, see testdata/README.md)."""
import gzip, sys
SRC='/work/shared/testdata-external/pvactools/annotated.expression.vcf.gz'
OUT='/work/main/testdata'
hdr=[l.rstrip('\n') for l in gzip.open(SRC,'rt') if l.startswith('##INFO=<ID=CSQ')][0]
FMT=hdr.split('Format: ')[1].split('"')[0].split('|')
real={}
for l in gzip.open(SRC,'rt'):
    if l.startswith('#'): continue
    f=l.rstrip('\n').split('\t'); real[(f[0],int(f[1]))]=f
LEN={'chr1':248956422,'chr2':242193529,'chr3':198295559,'chr4':190214555,'chr7':159345973,'chr9':138394717,
     'chr10':133797422,'chr12':133275309,'chr13':114364328,'chr14':107043718,'chr17':83257441}
ORDER=list(LEN)

def entry(**kw):
    d={k:'' for k in FMT}
    d.update(Feature_type='Transcript',BIOTYPE='protein_coding',SYMBOL_SOURCE='HGNC',VARIANT_CLASS='SNV',IMPACT='MODERATE')
    for k,v in kw.items():
        assert k in d,k; d[k]=str(v)
    return '|'.join(d[k] for k in FMT)

def mane(sym,gene,hgnc,tx,mane_nm,ensp,strand,exon,c,p,cds,pp,aa,codons,alt,cons='missense_variant',impact='MODERATE',cdna='',rs='',vclass='SNV',ccds=''):
    return entry(Allele=alt,Consequence=cons,IMPACT=impact,SYMBOL=sym,Gene=gene,Feature=tx,EXON=exon,
        HGVSc=f'{tx}:{c}',HGVSp=(f'{ensp}:{p}' if ensp and p else ''),cDNA_position=cdna,CDS_position=cds,Protein_position=pp,
        Amino_acids=aa,Codons=codons,Existing_variation=rs,STRAND=strand,PICK=1,VARIANT_CLASS=vclass,HGNC_ID=hgnc,
        CANONICAL='YES',MANE_SELECT=mane_nm,ENSP=ensp.split('.')[0] if ensp else '',CCDS=ccds)

# ---- verified small variants (GRCh38) -------------------------------------
BRAF=('BRAF','ENSG00000157764','HGNC:1097','ENST00000646891.2','NM_004333.6','ENSP00000493543.1','-1')
V={}
V['BRAF_V600E']=('chr7',140753336,'A','T',[
    mane(*BRAF,'15/18','c.1799T>A','p.Val600Glu',1799,600,'V/E','gTg/gAg','T',rs='rs113488022'),
    # MANE Plus Clinical transcript: same change numbered V640E (ENSP/exon not verified -> left empty)
    entry(Allele='T',Consequence='missense_variant',SYMBOL='BRAF',Gene='ENSG00000157764',Feature='ENST00000644969.2',
          HGVSc='ENST00000644969.2:c.1919T>A',CDS_position=1919,Protein_position=640,Amino_acids='V/E',Codons='gTg/gAg',
          STRAND='-1',HGNC_ID='HGNC:1097',MANE_PLUS_CLINICAL='NM_001374258.1',Existing_variation='rs113488022')])
V['BRAF_V600SYN']=('chr7',140753335,'C','T',[
    mane(*BRAF,'15/18','c.1800G>A','p.Val600=',1800,600,'V','gtG/gtA','T',cons='synonymous_variant',impact='LOW')])
V['BRAF_G469A']=None  # not encoded: GRCh38 coordinate not verified
KRAS=('KRAS','ENSG00000133703','HGNC:6407','ENST00000311936.8','NM_004985.5','ENSP00000308495.3','-1')
V['KRAS_G12D']=('chr12',25245350,'C','T',[mane(*KRAS,'2/5','c.35G>A','p.Gly12Asp',35,12,'G/D','gGt/gAt','T')])
EGFR=('EGFR','ENSG00000146648','HGNC:3236','ENST00000275493.7','NM_005228.5','ENSP00000275493.2','1')
V['EGFR_L858R']=('chr7',55191822,'T','G',[mane(*EGFR,'21/28','c.2573T>G','p.Leu858Arg',2573,858,'L/R','cTg/cGg','G')])
V['EGFR_T790M']=('chr7',55181378,'C','T',[mane(*EGFR,'20/28','c.2369C>T','p.Thr790Met',2369,790,'T/M','aCg/aTg','T')])
V['EGFR_E746_A750del']=('chr7',55174771,'AGGAATTAAGAGAAGC','A',[mane(*EGFR,'19/28','c.2236_2250del','p.Glu746_Ala750del',
    '2235-2249','745-750','KELREA/K','aaGGAATTAAGAGAAGCa/aaa','-',cons='inframe_deletion',vclass='deletion')])
PIK3CA=('PIK3CA','ENSG00000121879','HGNC:8975','ENST00000263967.4','NM_006218.4','ENSP00000263967.3','1')
V['PIK3CA_H1047R']=('chr3',179234297,'A','G',[mane(*PIK3CA,'21/21','c.3140A>G','p.His1047Arg',3140,1047,'H/R','cAt/cGt','G')])
V['IDH1_R132H']=('chr2',208248388,'C','T',[mane('IDH1','ENSG00000138413','HGNC:5382','ENST00000345146.7','NM_005896.4',
    'ENSP00000260985.2','-1','4/10','c.395G>A','p.Arg132His',395,132,'R/H','cGt/cAt','T')])
V['AKT1_E17K']=('chr14',104780214,'C','T',[entry(Allele='T',Consequence='missense_variant',SYMBOL='AKT1',Gene='ENSG00000142208',
    Feature='ENST00000649815.2',HGVSc='ENST00000649815.2:c.49G>A',CDS_position=49,Protein_position=17,Amino_acids='E/K',
    Codons='Gag/Aag',STRAND='-1',PICK=1,HGNC_ID='HGNC:391',CANONICAL='YES')])   # ENSP/exon/MANE id not verified -> empty
V['ERBB2_L755S']=('chr17',39723967,'T','C',[entry(Allele='C',Consequence='missense_variant',SYMBOL='ERBB2',Gene='ENSG00000141736',
    Feature='ENST00000269571.10',HGVSc='ENST00000269571.10:c.2264T>C',HGVSp='ENSP00000269571.4:p.Leu755Ser',CDS_position=2264,
    Protein_position=755,Amino_acids='L/S',Codons='tTa/tCa',STRAND='1',PICK=1,HGNC_ID='HGNC:3430',CANONICAL='YES',
    MANE_SELECT='NM_004448.4',ENSP='ENSP00000269571')])

def real_csq(chrom,pos,blank=('WildtypeProtein','FrameshiftSequence')):
    f=real[(chrom,pos)]
    csq=[x for x in f[7].split(';') if x.startswith('CSQ=')][0][4:]
    out=[]
    for e in csq.split(','):
        d=dict(zip(FMT,e.split('|')))
        for b in blank: d[b]=''
        out.append('|'.join(d[k] for k in FMT))
    return f[3],f[4],out
# TP53 R175H and BRCA2 E1593* are real VEP 105 annotations (HCC1395, pvactools)
for name,(c,p) in {'TP53_R175H':('chr17',7675088),'BRCA2_E1593X':('chr13',32339132)}.items():
    r,a,csq=real_csq(c,p); V[name]=(c,p,r,a,csq)

PASSENGERS=[('chr1',90714575),('chr1',12258129),('chr2',45006212),('chr2',96689377),('chr3',126498142),('chr3',164991257),
 ('chr4',100410302),('chr7',55399981),('chr7',82908983),('chr7',138583927),('chr12',21197166),('chr12',120351300),
 ('chr13',91398955),('chr14',76763118),('chr17',18119985),('chr17',7807669)]

HEAD_COMMON=['##fileformat=VCFv4.2','##FILTER=<ID=PASS,Description="All filters passed">',
 '##FILTER=<ID=strand_bias,Description="Evidence for alt allele comes from one read direction only">',
 '##FILTER=<ID=panel_of_normals,Description="Blacklisted site in panel of normals">',
 '##FILTER=<ID=weak_evidence,Description="Mutation does not meet likelihood threshold">',
 '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
 '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles in the order listed">',
 '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
 '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Variant-allele frequency for the alt alleles">']
SV_HEAD=['##ALT=<ID=DEL,Description="Deletion">','##ALT=<ID=DUP,Description="Duplication">',
 '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
 '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant described in this record">',
 '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Difference in length between REF and ALT alleles">',
 '##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of mate breakend">',
 '##INFO=<ID=GENE,Number=.,Type=String,Description="Gene(s) the copy-number segment covers">',
 '##INFO=<ID=GENEA,Number=1,Type=String,Description="5\' gene of the fusion">',
 '##INFO=<ID=GENEB,Number=1,Type=String,Description="3\' gene of the fusion">',
 '##FORMAT=<ID=CN,Number=1,Type=Float,Description="Copy number">']
ASM='##reference=GRCh38 (hand-made records; coordinates from public sources, see testdata/README.md)'

def fmt_call(gt,depth,vaf):
    alt=round(depth*vaf); return f'{gt}:{depth-alt},{alt}:{depth}:{alt/depth:.3f}'
REFCALL=lambda d: f'0/0:{d},0:{d}:0.000'

def write(path,samples,records,extra_head=(),meta=()):
    chroms=sorted({r[0] for r in records},key=ORDER.index)
    lines=HEAD_COMMON+[f'##contig=<ID={c},length={LEN[c]},assembly=GRCh38>' for c in chroms]+list(extra_head)+[hdr,ASM]+list(meta)
    lines.append('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t'+'\t'.join(samples))
    for r in sorted(records,key=lambda r:(ORDER.index(r[0]),r[1])):
        lines.append('\t'.join(map(str,r)))
    open(path,'w').write('\n'.join(lines)+'\n')

# ---- demo patient -----------------------------------------------------------
def small(name,filt,calls,fmt='GT:AD:DP:AF'):
    c,p,r,a,csq=V[name]; return (c,p,'.',r,a,'.',filt,'CSQ='+','.join(csq),fmt,*calls)
demo=[]
for name,filt,vaf,dp in [('BRAF_V600E','PASS',0.31,230),('KRAS_G12D','PASS',0.04,410),('EGFR_L858R','strand_bias',0.09,180),
                         ('PIK3CA_H1047R','PASS',0.22,312),('TP53_R175H','PASS',0.46,198),('BRCA2_E1593X','PASS',0.27,264),
                         ('IDH1_R132H','PASS',0.38,221)]:
    demo.append(small(name,filt,[REFCALL(dp-40),fmt_call('0/1',dp,vaf)]))
import random; random.seed(6)
for i,(c,p) in enumerate(PASSENGERS):
    r,a,csq=real_csq(c,p); dp=random.randint(60,400); vaf=round(random.uniform(0.08,0.5),2)
    filt='panel_of_normals' if i==3 else 'weak_evidence' if i==9 else 'PASS'
    demo.append((c,p,'.',r,a,'.',filt,'CSQ='+','.join(csq),'GT:AD:DP:AF',REFCALL(dp-20),fmt_call('0/1',dp,vaf)))
write(f'{OUT}/demo/patient.vcf',['NORMAL','TUMOR'],demo,meta=['##tumor_sample=TUMOR','##normal_sample=NORMAL'])

GENEID={'ERBB2':'ENSG00000141736','CDKN2A':'ENSG00000147889','CDK4':'ENSG00000135446','MET':'ENSG00000105976'}
# ---- reference VCFs: one sample per scenario ------------------------------------
def scenario_vcf(path,scen,cnvs=(),fusions=()):
    samples=[]
    for s in [s for s,_ in scen]+[s for s,*_ in cnvs]+[s for s,*_ in fusions]:
        if s not in samples: samples.append(s)
    recs={}
    for s,muts in scen:
        for name,gt,vaf,dp,filt in muts:
            key=name
            if key not in recs: recs[key]=[None]*len(samples)+[filt]
            recs[key][samples.index(s)]=fmt_call(gt,dp,vaf)
    rows=[]
    for name,calls in recs.items():
        filt=calls.pop(); calls=[x or REFCALL(300) for x in calls]
        rows.append(small(name,filt,calls))
    fmt='GT:AD:DP:AF:CN'
    # Copy number as a caller's gene-level segment: <DUP>/<DEL> with SVTYPE, END, SVLEN, the
    # gene in INFO/GENE and the copy number in FORMAT/CN (2 in the other samples). REF stays N:
    # the reference base at POS was not looked up (N is a valid REF).
    for s,gene,chrom,pos,end,svt,cn,cons,tx in cnvs:
        calls=['0/0:.:.:.:2']*len(samples); calls[samples.index(s)]=f"{'1/1' if cn==0 else '0/1'}:.:.:.:{cn}"
        svtype=svt.strip('<>'); svlen=(end-pos) if svtype=='DUP' else -(end-pos)
        rows.append((chrom,pos,f'{s}_{gene}','N',svt,'.','PASS',f'SVTYPE={svtype};END={end};SVLEN={svlen};GENE={gene}',fmt,*calls))
    # Fusions as a breakend pair joined by MATEID, with the fusion caller's 5' and 3' genes in
    # INFO/GENEA and INFO/GENEB on both mates.
    for s,g1,c1,p1,g2,c2,p2 in fusions:
        calls=['0/0:.:.:.:.']*len(samples); calls[samples.index(s)]='0/1:.:.:.:.'
        genes=f'GENEA={g1};GENEB={g2}'
        rows.append((c1,p1,f'{s}_bnd1','N',f'N[{c2}:{p2}[','.','PASS',f'SVTYPE=BND;MATEID={s}_bnd2;{genes}','GT:AD:DP:AF:CN',*calls))
        rows.append((c2,p2,f'{s}_bnd2','N',f']{c1}:{p1}]N','.','PASS',f'SVTYPE=BND;MATEID={s}_bnd1;{genes}','GT:AD:DP:AF:CN',*calls))
    if cnvs or fusions:
        rows=[r if r[8]!='GT:AD:DP:AF' else r[:8]+('GT:AD:DP:AF:CN',)+tuple(x+':.' for x in r[9:]) for r in rows]
    write(path,samples,rows,extra_head=SV_HEAD if (cnvs or fusions) else ())

scenario_vcf(f'{OUT}/reference/drup.vcf',[
  ('S1_BRCA2_HOM',[('BRCA2_E1593X','1/1',0.88,240,'PASS')]),          # DRUP-OLA-BRCA-BIALLELIC (homozygous)
  ('S2_BRCA2_HET',[('BRCA2_E1593X','0/1',0.31,220,'PASS')]),          # single hit: not bi-allelic
  ('S3_KRAS_G12D',[('KRAS_G12D','0/1',0.35,300,'PASS')]),             # + ERBB2 amp: anti-HER2 blocked (CRC)
  ('S4_BRAF_V600E',[('BRAF_V600E','0/1',0.30,250,'PASS')]),           # + ERBB2 amp: anti-HER2 blocked (CRC)
 ],cnvs=[
  ('S5_ERBB2_AMP','ERBB2','chr17',39600001,39800000,'<DUP>',18,'transcript_amplification','ENST00000269571.10'),
  ('S3_KRAS_G12D','ERBB2','chr17',39600001,39800000,'<DUP>',18,'transcript_amplification','ENST00000269571.10'),
  ('S4_BRAF_V600E','ERBB2','chr17',39600001,39800000,'<DUP>',14,'transcript_amplification','ENST00000269571.10'),
  ('S6_CDKN2A_HOMDEL','CDKN2A','chr9',21900001,22050000,'<DEL>',0,'transcript_ablation',''),
  ('S7_CDK4_AMP','CDK4','chr12',57700001,57800000,'<DUP>',24,'transcript_amplification',''),
 ])
scenario_vcf(f'{OUT}/reference/impress-norway.vcf',[
  ('S1_BRAF_V600E',[('BRAF_V600E','0/1',0.27,410,'PASS')]),           # IMPRESS-VEMURAFENIB-BRAF
  ('S2_BRAF_V600SYN',[('BRAF_V600SYN','0/1',0.30,300,'PASS')]),       # synonymous at codon 600: no match
  ('S3_BRAF_LOWVAF',[('BRAF_V600E','0/1',0.02,500,'PASS')]),          # below min_vaf
  ('S4_BRCA2_HOM',[('BRCA2_E1593X','1/1',0.85,260,'PASS')]),          # IMPRESS-OLA-BRCA-BIALLELIC
  ('S5_ERBB2_L755S',[('ERBB2_L755S','0/1',0.30,300,'PASS')]),         # point mutation: not covered by HER2-amp arm
 ],cnvs=[('S6_ERBB2_AMP','ERBB2','chr17',39600001,39800000,'<DUP>',15,'transcript_amplification','ENST00000269571.10')],
 fusions=[('S7_CCDC6_RET','CCDC6','chr10',59900000,'RET','chr10',43114000)])
scenario_vcf(f'{OUT}/reference/nci-match.vcf',[
  ('S1_EGFR_L858R',[('EGFR_L858R','0/1',0.22,380,'PASS')]),           # MATCH-A
  ('S2_EGFR_DEL19',[('EGFR_E746_A750del','0/1',0.30,300,'PASS')]),    # MATCH-A
  ('S3_EGFR_L858R_T790M',[('EGFR_L858R','0/1',0.25,380,'PASS'),('EGFR_T790M','0/1',0.08,380,'PASS')]),  # MATCH-A excluded
  ('S4_BRAF_V600E',[('BRAF_V600E','0/1',0.31,230,'PASS')]),           # MATCH-H
  ('S5_AKT1_E17K',[('AKT1_E17K','0/1',0.29,350,'PASS')]),             # MATCH-Y
  ('S6_ERBB2_L755S',[('ERBB2_L755S','0/1',0.30,300,'PASS')]),         # MATCH-B
  ('S7_PIK3CA_H1047R',[('PIK3CA_H1047R','0/1',0.22,312,'PASS')]),     # no NCI-MATCH arm in this file
 ],cnvs=[('S8_MET_AMP','MET','chr7',116600001,116800000,'<DUP>',12,'transcript_amplification','')],
 fusions=[('S9_EML4_ALK','EML4','chr2',42300000,'ALK','chr2',29223000)])
print('ok')

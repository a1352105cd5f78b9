# heap-collections - Does live memory keep growing?
# Data: block "collections": t_s before_mib after_mib gen; block "fit": t_s fit_mib
# Calling convention (fixed):
#   LC_ALL=C gnuplot -c heap-collections.gp DATA.tsv OUT TITLE [svg|png]
# ARG1 = TSV written by the mmbench exporter (layout: scripts/gnuplot/README.md),
# ARG2 = output image, ARG3 = title, ARG4 = terminal (default: see below).
# gnuplot only draws: every number shown is computed by the exporter.
if (ARGC < 2) { exit error "usage: gnuplot -c heap-collections.gp DATA.tsv OUT [TITLE] [svg|png]" }
DATA = ARG1
TITLE = (ARGC >= 3) ? ARG3 : ""

# Non-empty data blocks of DATA as "filepos name rows" triples. gnuplot's
# `index` skips empty blocks, so non-empty block k (1-based) is `index k-1`;
# filepos (0-based position in the file) fixes the setting colour.
AWKB = 'BEGIN{p=0;n=0;b=0;nm=""} /^[ \t\r]*$/{b++;next} {if(b>=2){if(n>0)printf "%d %s %d ",p,(nm==""?"series" p:nm),n; p++;n=0;nm=""} b=0} /^# series=/{nm=substr($0,10);sub(/[ \t\r]+$/,"",nm);next} /^#/{next} {n++} END{if(n>0)printf "%d %s %d",p,(nm==""?"series" p:nm),n}'
BINFO = system(sprintf("awk '%s' '%s'", AWKB, DATA))
NB = words(BINFO) / 3
bpos(k) = int(word(BINFO, 3*k-2))
bname(k) = word(BINFO, 3*k-1)
bcnt(k) = int(word(BINFO, 3*k))
NROWS = 0
do for [k=1:NB] { NROWS = NROWS + bcnt(k) }
# first non-empty block with a given series name (0 = none)
bfind(s) = sum [k=1:NB] ((bname(k) eq s) ? k : 0)

# Okabe-Ito: settings by block order, generations fixed
SETCOLS = "#0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00 #F0E442 #000000"
setcol(p) = word(SETCOLS, (int(p) % 8) + 1)
gencol(n) = (n eq "gen0") ? "#E69F00" : (n eq "gen1") ? "#56B4E9" : (n eq "gen2") ? "#D55E00" : "#000000"
genrgb(g) = (int(g) == 0) ? 0xE69F00 : (int(g) == 1) ? 0x56B4E9 : (int(g) == 2) ? 0xD55E00 : 0x000000

KC = bfind("collections")
KF = bfind("fit")
TERMDEF = (KC > 0 && bcnt(KC) > 2000) ? "png" : "svg"

TERMSEL = (ARGC >= 4 && ARG4 ne "") ? ARG4 : TERMDEF
if (TERMSEL eq "png") {
    set terminal pngcairo size 1200,700 font "sans,10"
} else {
    if (TERMSEL eq "svg") {
        set terminal svg size 900,500 dynamic font "sans,10"
    } else {
        exit error sprintf("unknown terminal '%s' (svg or png)", TERMSEL)
    }
}
set termoption noenhanced
set output ARG2
set datafile separator "\t"
set datafile missing "NaN"
set title TITLE noenhanced
set grid lc rgb "#DDDDDD"
if (NB == 0) {
    set label 1 "no data" at graph 0.5, graph 0.5 center
    set xrange [0:1]
    set yrange [0:1]
    unset xtics
    unset ytics
    plot 2 notitle
    unset output
    exit
}

if (KC == 0) { exit error "no 'collections' block" }
AWKG = 'BEGIN{FS="\t"} /^# series=/{s=substr($0,10);next} /^#/||NF<4{next} s=="collections"{c[$4+0]++} END{for(g=0;g<3;g++) if(c[g]>0) printf "%d ",g}'
GCNT = system(sprintf("awk '%s' '%s'", AWKG, DATA))
NG = words(GCNT)
HASFIT = (KF > 0) ? 1 : 0
set xlabel "time (s)"
set ylabel "heap (MiB)"
set yrange [0:*]
set key top left opaque box
plot DATA index (KC-1) using 1:2:(0):($3-$2):(genrgb($4)) with vectors nohead lc rgb variable \
         title "before -> after collection", \
     for [j=1:NG] DATA index (KC-1) using 1:(int($4) == int(word(GCNT,j)) ? $3 : NaN) with points pt 7 ps 0.6 \
         lc rgb gencol("gen".word(GCNT,j)) title sprintf("after gen%s collection", word(GCNT,j)), \
     for [j=1:HASFIT] DATA index (KF > 0 ? KF-1 : 0) using 1:2 with lines lw 2 dt 2 lc rgb "#000000" \
         title "Theil-Sen fit, heap after gen2 collections"

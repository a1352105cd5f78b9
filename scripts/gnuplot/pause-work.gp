# pause-work - Is pause time proportional to objects examined?
# Data: one block per (setting, generation), series "<setting>/gen<g>": objects_examined pause_ms;
#       last block "fit": series gen ns_per_object intercept_ms (one row per data block)
# Calling convention (fixed):
#   LC_ALL=C gnuplot -c pause-work.gp DATA.tsv OUT TITLE [svg|png]
# ARG1 = TSV written by the mmbench exporter (layout: scripts/gnuplot/README.md),
# ARG2 = output image, ARG3 = title, ARG4 = terminal (default: see below).
# gnuplot only draws: every number shown is computed by the exporter.
if (ARGC < 2) { exit error "usage: gnuplot -c pause-work.gp DATA.tsv OUT [TITLE] [svg|png]" }
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

KFIT = bfind("fit")
ND = (KFIT > 0) ? KFIT - 1 : NB
NPTS = 0
do for [k=1:ND] { NPTS = NPTS + bcnt(k) }
TERMDEF = (NPTS > 3000) ? "png" : "svg"

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

AWKP = 'BEGIN{FS="\t"} /^# series=/{s=substr($0,10);sub(/[ \t\r]+$/,"",s);next} /^#/||NF<4{next} s=="fit"{printf "%s %s %s ", $1, $3, $4}'
FITS = system(sprintf("awk '%s' '%s'", AWKP, DATA))
NFIT = words(FITS) / 3
PTS = "7 5 9 13 11 15 3 1"
SETS = ""
FL = ""
ND = (ND < 1) ? 1 : ND
array FSL[ND]
array FIC[ND]
array PT[ND]
array DT[ND]
do for [k=1:ND] {
    n = bname(k)
    st = (strlen(n) > 5 && n[strlen(n)-4:strlen(n)-4] eq "/") ? n[1:strlen(n)-5] : n
    si = 0
    do for [w=1:words(SETS)] { if (word(SETS, w) eq st) { si = w } }
    if (si == 0) { SETS = SETS . " " . st; si = words(SETS) }
    PT[k] = int(word(PTS, ((si - 1) % 8) + 1))
    DT[k] = si
    do for [j=1:NFIT] {
        if (word(FITS, 3*j-2) eq n && word(FITS, 3*j-1) ne "NaN" && word(FITS, 3*j) ne "NaN") {
            FSL[k] = real(word(FITS, 3*j-1)); FIC[k] = real(word(FITS, 3*j)); FL = FL . " " . k
        }
    }
}
genof(n) = (strlen(n) >= 4) ? n[strlen(n)-3:] : ""
fk(j) = int(word(FL, j))
fy(k, x) = FIC[k] + FSL[k] * x / 1e6
set logscale xy
set xlabel "objects examined (log scale)"
set ylabel "pause (ms, log scale)"
set key top left opaque box
plot for [k=1:(KFIT == 1 ? 0 : ND)] DATA index (k-1) using ($1 > 0 ? $1 : NaN):($2 > 0 ? $2 : NaN) with points \
         pt PT[k] ps 0.5 lc rgb gencol(genof(bname(k))) title bname(k), \
     for [j=1:words(FL)] DATA index (fk(j)-1) using ($1 > 0 ? $1 : NaN):(fy(fk(j), $1) > 0 ? fy(fk(j), $1) : NaN) \
         smooth unique with lines lw 1.5 dt DT[fk(j)] lc rgb gencol(genof(bname(fk(j)))) \
         title sprintf("%s fit: %.3g ns/object + %.3g ms", bname(fk(j)), FSL[fk(j)], FIC[fk(j)])

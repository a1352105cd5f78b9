# sweep-frontier - Which settings are worth having?
# Data: one block (series = sweep name), row per setting, sorted by throughput_pct:
#   setting throughput_pct p99_ms peak_rss_mib pareto status
# Calling convention (fixed):
#   LC_ALL=C gnuplot -c sweep-frontier.gp DATA.tsv OUT TITLE [svg|png]
# ARG1 = TSV written by the mmbench exporter (layout: scripts/gnuplot/README.md),
# ARG2 = output image, ARG3 = title, ARG4 = terminal (default: see below).
# gnuplot only draws: every number shown is computed by the exporter.
if (ARGC < 2) { exit error "usage: gnuplot -c sweep-frontier.gp DATA.tsv OUT [TITLE] [svg|png]" }
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

TERMDEF = "svg"

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

AWKF = 'BEGIN{FS="\t";mn="";mx=""} /^#/||NF<6{next} {ok=($6=="ok"); fin=($2!="NaN"&&$3!="NaN"&&$3+0>0); if(ok&&fin){no++; if($5+0==1)np++; if($4!="NaN"){r=$4+0; if(mn==""||r<mn)mn=r; if(mx==""||r>mx)mx=r}} else if(!ok&&fin)nb++} END{printf "%d %d %d %s %s", no+0, np+0, nb+0, (mn==""?"0":mn), (mx==""?"1":mx)}'
AWKL = 'BEGIN{FS="\t"} /^#/||NF<6{next} $6!="ok"&&($2=="NaN"||$3=="NaN"||$3+0<=0){printf "%s%s (%s)", (n++?", ":""), $1, $6}'
FI = system(sprintf("awk '%s' '%s'", AWKF, DATA))
NOPLOT = system(sprintf("awk '%s' '%s'", AWKL, DATA))
HASOK = (int(word(FI, 1)) > 0) ? 1 : 0
HASP = (int(word(FI, 2)) > 0) ? 1 : 0
HASBAD = (int(word(FI, 3)) > 0) ? 1 : 0
RMIN = real(word(FI, 4))
RMAX = real(word(FI, 5))
RMAX = (RMAX > RMIN) ? RMAX : RMIN + 1
psz(r) = (r == r) ? 0.8 + 2.2 * (r - RMIN) / (RMAX - RMIN) : 1
set cbrange [RMIN:RMAX]
set palette defined (0 "#440154", 0.5 "#21908C", 1 "#FDE725")
set cblabel "peak RSS (MiB)"
set xlabel "throughput (% of wall time not in GC; higher is better)"
set ylabel "p99 pause (ms, log scale; lower is better)"
set logscale y
set autoscale yfix
set format y "%g"
do for [e=-3:5] { set ytics add (1 * 10.0**e, 2 * 10.0**e, 5 * 10.0**e) }
set offsets graph 0.08, graph 0.15, graph 0.1, graph 0.1
set key top left opaque box
if (strlen(NOPLOT) > 0) {
    set label 2 sprintf("infeasible, no data: %s", NOPLOT) at graph 0.01, graph 0.03 left tc rgb "#D55E00" front
}
plot for [j=1:HASP] DATA index 0 using 2:(($5 == 1 && strcol(6) eq "ok") ? $3 : NaN) with lines lw 1.5 \
         lc rgb "#555555" title "Pareto frontier", \
     for [j=1:HASOK] DATA index 0 using 2:(strcol(6) eq "ok" ? $3 : NaN):(psz($4)):4 with points pt 7 \
         ps variable lc palette title "setting (size and colour = peak RSS)", \
     for [j=1:HASP] DATA index 0 using 2:(($5 == 1 && strcol(6) eq "ok") ? $3 : NaN):(strcol(1)) with labels \
         left offset char 1, char 0.8 notitle, \
     for [j=1:HASBAD] DATA index 0 using 2:(strcol(6) ne "ok" ? $3 : NaN) with points pt 2 ps 2 lw 2 \
         lc rgb "#D55E00" title "infeasible (status not ok)", \
     for [j=1:HASBAD] DATA index 0 using 2:(strcol(6) ne "ok" ? $3 : NaN):(sprintf("%s (%s)", strcol(1), strcol(6))) \
         with labels left offset char 1, char -0.8 tc rgb "#D55E00" notitle

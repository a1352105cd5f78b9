# sweep-heatmap - How does a metric respond to two knobs?
# Data: one block (series = "<x knob>,<y knob>"): xi yi x_value y_value ratio lo hi verdict
# Calling convention (fixed):
#   LC_ALL=C gnuplot -c sweep-heatmap.gp DATA.tsv OUT TITLE [svg|png]
# ARG1 = TSV written by the mmbench exporter (layout: scripts/gnuplot/README.md),
# ARG2 = output image, ARG3 = title, ARG4 = terminal (default: see below).
# gnuplot only draws: every number shown is computed by the exporter.
if (ARGC < 2) { exit error "usage: gnuplot -c sweep-heatmap.gp DATA.tsv OUT [TITLE] [svg|png]" }
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

TERMDEF = "png"

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

SN = bname(1)
CM = strstrt(SN, ",")
XK = (CM > 1) ? SN[1:CM-1] : "x knob"
YK = (CM > 0 && CM < strlen(SN)) ? SN[CM+1:] : "y knob"
AWKT = 'BEGIN{FS="\t";n=0} /^#/||NF<8{next} !(($i) in s){s[$i]=1; printf "%s\"%s\" %s", (n++?", ":""), $v, $i}'
XT = system(sprintf("awk -v i=1 -v v=3 '%s' '%s'", AWKT, DATA))
YT = system(sprintf("awk -v i=2 -v v=4 '%s' '%s'", AWKT, DATA))
eval sprintf("set xtics (%s) nomirror", XT)
eval sprintf("set ytics (%s) nomirror", YT)
AWKM = 'BEGIN{FS="\t";m=1;d=0} /^#/||NF<8{next} $8!="better"&&$8!="worse"{d++} $5!="NaN"&&$5+0>0{r=$5+0; if(r<1)r=1/r; if(r>m)m=r} END{printf "%.9g %d", m, d}'
MM = system(sprintf("awk '%s' '%s'", AWKM, DATA))
M = real(word(MM, 1))
M = (M < 1.02) ? 1.02 : M
HASDOT = (int(word(MM, 2)) > 0) ? 1 : 0
set logscale cb
set cbrange [1.0 / M : M]
RT_MN = 1.0 / M
RT_MX = M
# Ratio tics for a log axis covering [RT_MN, RT_MX] (a narrow range gets no log tics otherwise)
RT_SPAN = RT_MX / RT_MN
RTL = ""
if (RT_SPAN <= 1.3) {
    do for [i=25:75] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), i * 0.02, i * 0.02) }
} else {
    if (RT_SPAN <= 3) {
        do for [i=2:30] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), i * 0.1, i * 0.1) }
    } else {
        do for [e=-3:3] { do for [m in "1 2 5"] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), real(m) * 10.0**e, real(m) * 10.0**e) } }
    }
}
eval sprintf("set cbtics (%s) nomirror", RTL)
set palette defined (0 "#2166AC", 0.5 "#F7F7F7", 1 "#B2182B")
set cblabel "ratio vs baseline (log scale, 1 = no change)"
set xlabel XK
set ylabel YK
set offsets 0, 0, 0, 0
set autoscale fix
unset grid
set key below
plot DATA index 0 using 1:2:($1-0.5):($1+0.5):($2-0.5):($2+0.5):($5 > 0 ? $5 : NaN) \
         with boxxyerror fc palette fs solid 1.0 border lc rgb "#FFFFFF" notitle, \
     DATA index 0 using 1:2:(valid(5) ? strcol(5) . "\n" . strcol(8) : strcol(8)) \
         with labels notitle, \
     for [j=1:HASDOT] DATA index 0 using 1:((strcol(8) eq "better" || strcol(8) eq "worse") ? NaN : $2 - 0.3) \
         with points pt 7 ps 0.8 lc rgb "#000000" title "no better/worse verdict"

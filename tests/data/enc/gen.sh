#!/bin/sh
# gen.sh - regenerates the enc fixtures: <case>.<charset> (the bytes enc_to_utf8
# reads) and <case>.expected (the UTF-8 it must return). The texts are our
# own. Run from this directory at development time; the outputs are committed
# so the tests need no iconv. Read by tests/unit/test_enc.c.
set -eu
cd "$(dirname "$0")"

S='关于做好政府信息公开工作的通知
各区人民政府，市政府各部门、各直属机构：
为进一步推进政务公开，提高行政机关工作透明度，保障公民、法人和其他组织依法获取政府信息，现将有关事项通知如下。
一、及时发布政策文件和解读材料，做到应公开尽公开。
二、依法办理依申请公开，在规定期限内答复申请人。
三、每年一月底前公布上一年度政府信息公开工作年度报告。
联系电话：0571-12345678
'
T='關於做好政府資訊公開工作的通知
各區公所、市府各機關：
為進一步推動政務公開，提升行政透明度，保障民眾依法取得政府資訊，茲將有關事項通知如下。
一、即時發布法規命令及說明資料，做到應公開盡公開。
二、依法受理民眾申請，並於法定期限內答覆申請人。
三、每年一月底前公布上一年度政府資訊公開工作年度報告。
聯絡電話：(02)2345-6789
'
GBK_ONLY='会议由王镕主持，李珺同志作工作报告。
'
GB4='古籍用字“𠮷”与“㐀”均已收入国家标准，检索时应当正确显示。
'
HK='香港市民話：呢份通告嘅內容已經張貼咗，啫係大家都睇到。
'
B='Notice on Government Information Disclosure (No. 12)
政府信息公开通知 第12号
Applications may be submitted online or by post before 30 June.
申请人可以通过网上或者信函方式提出申请。
Contact: Office of Open Government, tel 0571-12345678.
'

# out CASE CHARSET TEXT: encode TEXT, keep TEXT as the expected UTF-8
out() {
    printf '%s' "$3" | iconv -f UTF-8 -t "$2" > "$1.$(echo "$2" | tr 'A-Z' 'a-z')"
    printf '%s' "$3" > "$1.expected"
}

out utf8 UTF-8 "$S"
out gb2312 GB2312 "$S"
out gbk GBK "$S$GBK_ONLY"
out gb18030_4byte GB18030 "$GB4$S"
out big5 BIG5 "$T"
out hkscs BIG5-HKSCS "$HK$T"
out latin1 ISO-8859-1 'Café résumé: naïve façade, déjà vu.
Über straße, señor, garçon.
'

# BOMs and UTF-16 (the BOM is not part of the expected text)
printf '\357\273\277%s' "$S" > utf8_bom.utf-8
printf '%s' "$S" > utf8_bom.expected
{ printf '\377\376'; printf '%s' "$T" | iconv -f UTF-8 -t UTF-16LE; } > utf16le_bom.utf-16le
printf '%s' "$T" > utf16le_bom.expected
{ printf '\376\377'; printf '%s' "$S" | iconv -f UTF-8 -t UTF-16BE; } > utf16be_bom.utf-16be
printf '%s' "$S" > utf16be_bom.expected
out utf16le_nobom UTF-16LE "$B"

# HTML and XML with declared charsets
P1='<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府信息公开工作通知</title>
</head><body>
<p>'"$GBK_ONLY"'</p>
<p>'"$S"'</p>
</body></html>
'
out page_gb2312_gbk_chars GBK "$P1"
P2='<html>
<head>
<title>政府資訊公開工作通知</title>
<META charset="big5">
</head>
<body><div>'"$T"'</div></body>
</html>
'
out page_meta_after_title BIG5 "$P2"
P3='<!doctype HTML>
<html><head><title>政府信息公开工作通知</title>
<!-- <meta charset="big5"> is only a comment -->
<meta name="keywords" content="政府信息公开">
<meta http-equiv=Content-Type content='"'"'text/html;charset=GBK'"'"'>
</head><body>'"$S"'</body></html>
'
out page_http_equiv GBK "$P3"
X1='<?xml version="1.0" encoding="GB2312"?>
<doc><title>政府信息公开工作通知</title>
<body>'"$S"'</body></doc>
'
out xml_decl GB2312 "$X1"
X2="<?xml version='1.0' encoding='big5' standalone='yes'?>
<doc><title>政府資訊公開</title><body>$T</body></doc>
"
out xml_decl_big5 BIG5 "$X2"
# UTF-8 bytes that claim to be gb2312: the bytes win
P4='<html><head><meta charset="gb2312"><title>政府信息公开</title></head>
<body>'"$S"'</body></html>
'
out page_lying_utf8 UTF-8 "$P4"
# Big5 bytes labelled gb2312: the statistics win
P5='<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府資訊公開</title></head>
<body>'"$T$T"'</body></html>
'
out page_big5_labelled_gb BIG5 "$P5"

# invalid bytes in the middle: replaced by U+FFFD, the rest intact
# (cuts fall on line ends so that no character is split)
R='�'
l12=$(printf '%s' "$S" | head -n 2)
l3=$(printf '%s' "$S" | sed -n 3p)
rest=$(printf '%s' "$S" | tail -n +4)
{ printf '%s\n\377\376%s\nx\344\270y%s\n' "$l12" "$l3" "$rest"; } > invalid_mid.utf-8
{ printf '%s\n%s%s%s\nx%sy%s\n' "$l12" "$R" "$R" "$l3" "$R" "$rest"; } > invalid_mid.expected
{ printf '%s\n' "$l12" | iconv -f UTF-8 -t GBK; printf '\377'
  printf '%s\n' "$l3" "$rest" | iconv -f UTF-8 -t GBK; } > invalid_gbk.gbk
printf '%s\n%s%s\n%s\n' "$l12" "$R" "$l3" "$rest" > invalid_gbk.expected

# NUL bytes inside text: dropped
{ printf '%s\n\000\000%s\000\n%s\n' "$l12" "$l3" "$rest"; } > nul.utf-8
printf '%s\n%s\n%s\n' "$l12" "$l3" "$rest" > nul.expected

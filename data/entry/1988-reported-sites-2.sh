#!/usr/bin/env bash
# The second pass: how shared/sources/1988-reported-sites-2.md ("Publicly reported burial sites of
# the 1988 executions in Iran: second list", stored copies of public pages searched in December
# 2026) was entered, one gravemap command per row, in the order of the list. It runs after the
# first pass (1988-reported-sites.sh) on the same file: bash data/entry/replay.sh OUT.geojson
#
# Rules followed (the first list's, and the second list's own):
#   - quotes, URLs, publishers and dates exactly as the list gives them; Persian quotes as they
#     stand there (a zero-width non-joiner the live page has may be missing);
#   - dates as the source wrote them: Solar Hijri with slashes where the source gives Solar Hijri
#     (gravemap converts it and keeps the text; every conversion the list gives after "=" was
#     checked against gravemap's), ISO otherwise; `undated` where the list says "date not shown",
#     never the date it was read;
#   - statuses: walled in, camera towers, closed to families, access restricted -> at-risk, with
#     the specifics in the note; new graves dug into the mass grave -> damaged; levelled ->
#     bulldozed; a road, plots or buildings on it -> built-upon; concreted -> paved-over;
#     testimony with no status -> unknown;
#   - a publisher of the PMOI/MEK/NCRI or writing in its vocabulary is named with the list's flag
#     "[MEK/NCRI-aligned]" and a site it alone backs stays `reported`; "[alignment unclear]" is
#     said in the source title; a *copy* names the organisation as publisher, the copy's URL as
#     url, and says "copy" in the title;
#   - where the list names no title, the title describes the source and ends "(title not recorded
#     in the source list)"; a source's own date (--source-date) only where the list says it is
#     the date of the page, post, article, report or statement; the date in a row's status column
#     dates the status entry (--date);
#   - disagreements stay side by side, each source's date (or account) its own status entry;
#     the same report of the same status on the same date joins the existing entry as a further
#     source (gravemap does this itself);
#   - low-confidence rows (a mirror whose outlet is not named, a Telegram mirror, an aggregator
#     with no named source) only as a further source of a claim a higher-confidence row makes;
#   - out-of-scope items (early-1980s burials, 2026 events) and the one low-confidence row with no
#     such support are not entered: data/README.md lists them with the reason.
# No row gives coordinates: every site is its city's centre (precision `city`), the site itself
# described in --location-note.
set -euo pipefail
declare -F gm >/dev/null || gm() { "${GRAVEMAP:-gravemap}" "$@"; }
READ=2026-12  # when the stored copies of the second list's sources were read
NOTITLE="(title not recorded in the source list)"

# === Corrections to the first pass ===============================================================
# The first pass dated entries whose source gives no date by the day they were read (2026-11).
# The second list's rule: such an entry is undated. Entry 1 is, in each of these sites, the one.
gm status ir-masjed-soleyman-01 --edit 1 --date undated \
  --note "A concreted area with five large bumps; no destruction reported."
gm status ir-orumiyeh-01 --edit 1 --date undated --note ''
gm status ir-ahvaz-02 --edit 1 --date undated --note ''
# One organisation, one publisher name: the first pass named some publishers with what the page
# was ("Justice for Iran (PainScapes)", "Iran International (reporting Amnesty International)",
# the UN Special Rapporteur with the report's number); the title says that. Named alike, they no
# longer count as two publishers on the map.
gm cite ir-tehran-01 --edit s3 --source-publisher "Iran International" >/dev/null
gm cite ir-mashhad-01 --edit s3 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-sanandaj-01 --edit s1 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-masjed-soleyman-01 --edit s1 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-dezful-01 --edit s1 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-orumiyeh-01 --edit s1 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-shiraz-01 --edit s1 --source-publisher "Justice for Iran" >/dev/null
gm cite ir-tehran-01 --edit s2 --source-publisher "Families of the victims" \
  --source-title "Families' letter to the UN High Commissioner, 27 April 2021, published by Bidaran" >/dev/null
UNSR="UN Special Rapporteur on the situation of human rights in Iran"
gm cite ir-mashhad-01 --edit s1 --source-publisher "$UNSR" \
  --source-title "UN Special Rapporteur (A. Jahangir) report A/72/322, paragraph 71 (as quoted at iran1988.org)" >/dev/null
gm cite ir-mashhad-01 --edit s2 --source-publisher "$UNSR" >/dev/null
gm cite ir-ahvaz-01 --edit s3 --source-publisher "$UNSR" >/dev/null
JVMI_NOTE="Named in the JVMI's list of 1988 graves (JVMI says it traced 59)."
gm status ir-tehran-02 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-abas-abad-01 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-amol-01 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-babol-02 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-minab-01 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-salehabad-01 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-ahvaz-03 --edit 1 --date undated --note "$JVMI_NOTE"
gm status ir-dezful-02 --edit 1 --date undated --note "$JVMI_NOTE"

# === Tehran: Khavaran (ir-tehran-01) =============================================================
id=ir-tehran-01
gm status $id at-risk --date 1381/06/08 \
  --note "Walled in: a low wall (80 cm) built round the mass graves by Intelligence Ministry agents, reported at the ceremony of 8 Shahrivar 1381; the wall went up after an interview broadcast \"last year\"." \
  --source-publisher "Radio Azadi" \
  --source-title "Radio Azadi interview with Parvaneh Milani (a victim's relative), reproduced at irhumanrights.com, host not identified (copy) $NOTITLE" \
  --source-url "http://irhumanrights.com/yadbood.htm" --accessed "$READ" \
  --quote "ماموران وزارت اطلاعات جمهورى اسلامى با كشيدن ديوارى به ارتفاع هشتاد سانت دور قبرهاى دسته جمعى قربانيان كشتار در زندان هاى جمهورى اسلامى"
gm status $id at-risk --date 2005-08-27 \
  --note "Behesht-e Zahra, the municipality and the prosecutor's office sound out families on \"reorganising and rebuilding\" Khavaran into an ordinary cemetery." \
  --source-publisher "Families of the victims" \
  --source-title "Families' statement, posted on the blog news06.hasanagha.org on 27 August 2005 $NOTITLE" \
  --source-url "http://news06.hasanagha.org/?p=1435" --source-date 2005-08-27 --accessed "$READ" \
  --quote "قصد آن دارند که گلزار خاوران را از شکل کنونی اش خارج کرده و به یک گورستان عادی تبدیل کنند"
gm status $id damaged --date 2005-11-21 \
  --note "Grave markings made by the families destroyed by a group of strangers \"last week\" (post of 21 November 2005)." \
  --source-publisher "Radio Farda" \
  --source-title "Radio Farda report in the English translation of the partisan \"regime change\" blog regimechangeiran.blogspot.com, post of 21 November 2005 (copy) $NOTITLE" \
  --source-url "http://regimechangeiran.blogspot.com/2005/11/khavaran-mass-grave-destroyed.html" \
  --source-date 2005-11-21 --accessed "$READ" \
  --quote "A group of strangers destroyed the grave markings created by families of those who perished in the massacres of political prisoners in Iran in 1988."
gm status $id damaged --date 1387/06/08 \
  --note "Hearsay (\"I heard\"): many of the few stones the families had set up destroyed and the soil turned over on Fridays 8 and 15 Shahrivar 1387 (29 August and 5 September 2008)." \
  --source-publisher "Jafar Behkish (relative of six victims)" \
  --source-title "Jafar Behkish, personal blog, post of 30 Shahrivar 1387 $NOTITLE" \
  --source-url "https://jafar-behkish.blogspot.com/2008/09/1387.html" --source-date 1387/06/30 --accessed "$READ" \
  --quote "شنیدم که بسیاری از همان محدود سنگهائی که خانواده های قربانیان به نشان عزیزانشان نصب کرده بودند در روزهای جمعه 8 و 15 شهریور تخریب"
gm status $id bulldozed --date 2009-01 \
  --note "(International Campaign for Human Rights in Iran, 5 February 2009: the grounds bulldozed and trees planted.)" \
  --source-publisher "International Campaign for Human Rights in Iran" \
  --source-title "International Campaign for Human Rights in Iran statement, 5 February 2009 $NOTITLE" \
  --source-url "https://iranhumanrights.org/?p=994" --source-date 2009-02-05 --accessed "$READ" \
  --quote "bulldozing the grounds and planting trees under the guise of “Development and Organizing the Cemetery of Religious Minorities.”"
gm status $id bulldozed --date 2009-01 \
  --note "(Baha'i International Community, 30 January 2009: unidentified individuals with bulldozers demolished the \"graveyard of the infidels\".)" \
  --source-publisher "Baha'i International Community" \
  --source-title "Baha'i International Community statement, 30 January 2009 $NOTITLE" \
  --source-url "https://news.bahai.org/story/691" --source-date 2009-01-30 --accessed "$READ" \
  --quote 'a group of unidentified individuals using bulldozers demolished an area of the cemetery known as the "graveyard of the infidels,"'
gm status $id bulldozed --date 2009-01-06 \
  --note "Babak Emad (Association of Iranian Political Prisoners) dates the start of the destruction \"around 6th January this year\" (the article shows no date; the source list places it in January 2009); Amnesty International gives 9-16 January 2009. Kept side by side." \
  --source-publisher "Westminster News Online" \
  --source-title "Westminster News Online article quoting Babak Emad (Association of Iranian Political Prisoners), reproduced by Iran Tribunal (copy) $NOTITLE" \
  --source-url "https://irantribunal.com/no-peace-for-victims-of-iranian-revolution/" --accessed "$READ" \
  --quote "The destruction seems to have started around 6th January this year."
gm status $id at-risk --date 2009-08-28 \
  --note "Closed to families on the anniversary: families kept off the road to the site (the source spells it \"Kahavaran\")." \
  --source-publisher "Political Prisoners in Exile" \
  --source-title "\"Political Prisoners in Exile\" report, on the blog reroad.blogspot.com $NOTITLE" \
  --source-url "http://reroad.blogspot.com/2009/08/islamic-republic-opressors-ban-khavaran_28.html" \
  --accessed "$READ" \
  --quote "did not allow anyone entry to Kahavaran Cemetery"
gm status $id bulldozed --date 2010-05-11 \
  --note "Retrospective account by a victims' relative: the cemetery bulldozed and all gravestones, trees and other signs removed." \
  --source-publisher "Jafar Behkish (relative of six victims)" \
  --source-title "Jafar Behkish, blog post of 11 May 2010 $NOTITLE" \
  --source-url "http://jbehkish.blogspot.com/2010/05/khavaran-cemetery-part-2.html" --source-date 2010-05-11 --accessed "$READ" \
  --quote "the IRI bulldozed the Khavaran cemetery and removed all the gravestones, trees and any other signs"
gm status $id at-risk --date 1390/06/11 \
  --note "Closed to families: the main gate shut \"since four years ago\"; the gate of the Baha'i cemetery, used before, also shut this year." \
  --source-publisher "Roshangari" \
  --source-title "Roshangari report, reposted on iranian.com on 2 September 2011 $NOTITLE" \
  --source-url "https://www.iranian.com/main/news/2011/09/02/67.html" --source-date 2011-09-02 --accessed "$READ" \
  --quote "درب اصلی گلزار را رژيم جنايت کار جمهوری اسلامی از چهار سال پيش مسدود کرده است."
gm status $id at-risk --date 2015-08-31 \
  --note "Closed to families: the gate shut on the anniversary (\"Friday\") and flowers taken." \
  --source-publisher "Mansoureh Behkish" \
  --source-title "Mansoureh Behkish's account on the blog Iran Watch Canada, post of 31 August 2015 $NOTITLE" \
  --source-url "http://moriab.blogspot.com/2015/08/khavaran-hundreds-of-political.html" --source-date 2015-08-31 --accessed "$READ" \
  --quote "they closed the gate and tried to take our flowers"
gm status $id at-risk --date undated \
  --note "Closed to families on the last Friday of the Iranian year (\"March 13\"); the year is not shown (the text refers to the Rouhani administration)." \
  --source-publisher "Radio Zamaneh" \
  --source-title "Radio Zamaneh (English) article $NOTITLE" \
  --source-url "https://en.radiozamaneh.com/22778/" --accessed "$READ" \
  --quote "The doors of the Khavaran mass grave, where the executed political prisoners of the 1980s are buried, remained closed to families"
gm status $id damaged --date 1400/02/03 \
  --note "(BBC Persian, 25 April 2021, on the letter of 79 families: graves dug into the mass grave and two Baha'is buried there, seen on 3 Ordibehesht 1400.)" \
  --source-publisher "BBC Persian" \
  --source-title "BBC Persian, 25 April 2021, on the letter of 79 families of political prisoners executed in the 1980s: the Baha'i International Community's provisional translation (copy) $NOTITLE" \
  --source-url "https://iranbahaipersecution.bic.org/archive/bbc-persian-letter-79-families-political-prisoners-executed-1980s" \
  --source-date 2021-04-25 --accessed "$READ" \
  --quote "The graves had been dug into a mass grave and two deceased Baha’i have been buried there."
# Low confidence (an aggregator's copy): entered only as a further source of the claim above.
gm status $id damaged --date 2021-04-23 \
  --note "(Also in AFP/BBC reporting copied on an aggregator, low confidence, entered only as a further source: new deep graves, cement at the bottom.)" \
  --source-publisher "AFP / BBC" \
  --source-title "AFP/BBC reporting copied on the aggregator aijesnews.com (copy; low confidence) $NOTITLE" \
  --source-url "https://aijesnews.com/en/middle-east/news16024.html" --accessed "$READ" \
  --quote "These new graves are deep, and at the bottom they are covered with cement,"
gm status $id at-risk --date undated \
  --note "Baha'is in Tehran told to bury their dead on the mass graves (the page shows no date; it concerns the events of April 2021)." \
  --source-publisher "RFE/RL (Radio Free Europe/Radio Liberty)" \
  --source-title "RFE/RL article on Baha'is told to bury their dead atop mass graves $NOTITLE" \
  --source-url "https://www.rferl.org/a/iran-bahais-told-to-bury-dead-atop-mass-graves/31234288.html" --accessed "$READ" \
  --quote "followers of the Baha'i faith in Tehran have now been told they must bury their dead upon the mass graves of political prisoners."
gm status $id at-risk --date 1401/03/06 \
  --note "Walled in: concrete walls round the cemetery and posts for CCTV cameras (images of 6 Khordad 1401). The quote's \"ار\" is sic." \
  --source-publisher "IranWire" \
  --source-title "IranWire report, republished by Gooya News on 27 May 2022 (copy) $NOTITLE" \
  --source-url "https://news.gooya.com/2022/05/post-64552.php" --source-date 2022-05-27 --accessed "$READ" \
  --quote "مقامات ایران قبرستان خاوران را با دیوارهای بتنی بیش ار پیش محصور میکنند و پایههای دوربینهای مداربسته نیز در محل نصب کردهاند"
gm status $id at-risk --date undated \
  --note "Walled in: a high concrete wall and camera towers round the perimeter (videos \"in the past week\"; the page shows no date; 2022 events)." \
  --source-publisher "RFE/RL (Radio Free Europe/Radio Liberty)" \
  --source-title "RFE/RL article on the cemetery of the 1980s executions $NOTITLE" \
  --source-url "https://rferl.org/amp/iran-cemetery-1980s-war-crimes/31878675.html" --accessed "$READ" \
  --quote "a high concrete wall and towering security-camera fixtures have been installed around the perimeter of the cemetery"
gm status $id at-risk --date 2022-09 \
  --note "(Amnesty International, 13 September 2022, as quoted on an aggregator: the walls 2 m high; the entrance guarded by security agents who let relatives in only on certain days.)" \
  --source-publisher "Amnesty International" \
  --source-title "Amnesty International statement of 13 September 2022, quoted on the aggregator ifmat.org [alignment unclear] (copy) $NOTITLE" \
  --source-url "https://www.ifmat.org/09/14/amnesty-says-walls-around-iranian-mass-graves-show-need-for-probe/" \
  --source-date 2022-09-13 --accessed "$READ" \
  --quote "2-meter-high concrete walls … its entrance is guarded by security agents who only permit relatives to enter on certain days"
gm status $id at-risk --date 2023-04-03 \
  --note "A Baha'i buried at Khavaran on 30 March 2023 by an Intelligence Ministry agent; Baha'i families threatened with burial in the adjacent site once used to bury executed political prisoners." \
  --source-publisher "Baha'i International Community" \
  --source-title "Baha'i International Community press release, 3 April 2023, via GlobeNewswire $NOTITLE" \
  --source-url "https://rss.globenewswire.com/fr/news-release/2023/04/03/2640155/0/en/Oppressed-in-Life-and-Persecuted-in-Death-Baha-is-Prevented-from-Dignified-Burials-in-their-Own-Cemetery.html" \
  --source-date 2023-04-03 --accessed "$READ" \
  --quote "a site adjacent to the Baha'i cemetery previously used by the government to bury executed political prisoners"
gm status $id damaged --date 2024-03-12 \
  --note "More than 30 recent Baha'i graves on the mass-grave site flattened by bulldozer (citing the Baha'i International Community)." \
  --source-publisher "Radio Zamaneh" \
  --source-title "Zamaneh Media (Radio Zamaneh) article of 12 March 2024 on Medium, citing the Baha'i International Community $NOTITLE" \
  --source-url "https://zamaneh.medium.com/over-30-bahai-graves-destroyed-in-tehran-s-khavaran-455148c3139e?source=user_profile---------4----------------------------" \
  --source-date 2024-03-12 --accessed "$READ" \
  --quote "over 30 new Baha’i graves demolished at the Khavaran mass grave site … flattened graves with bulldozers"
gm status $id damaged --date 2024-03-12 \
  --note "(RFE/RL, citing the Baha'i International Community, reports the same event; its page shows no date.)" \
  --source-publisher "RFE/RL (Radio Free Europe/Radio Liberty)" \
  --source-title "RFE/RL article on destroyed Baha'i graves, citing the Baha'i International Community $NOTITLE" \
  --source-url "https://rferl.org/amp/iran-bahai-graves-destroyed/32852010.html" --accessed "$READ" \
  --quote "the targeted graves were located in the Khavaran mass grave site"
# Not entered: the CloudFront mirror d1y0ruayo3dv34 (outlet not named, low confidence) of
# 2024-03-17: no higher-confidence row makes its claim (see data/README.md).
gm status $id at-risk --date 2024-05-25 \
  --note "Closed to families: security forces and police kept the families of political prisoners executed in the 1980s from entering." \
  --source-publisher "Iran International" \
  --source-title "Iran International (Arabic) report, on a mirror domain $NOTITLE" \
  --source-url "https://d156axqdhqxfu.cloudfront.net/ar/202405254337" --accessed "$READ" \
  --quote "قوات الأمن والشرطة، منعت عائلات السجناء السياسيين، الذين أُعدموا في الثمانينيات، خلال القرن الماضي، من دخول مقبرة خاوران"
gm status $id at-risk --date 1403/05/05 \
  --note "Closed to families: agents kept the gates of Khavaran shut to the families and did not let them in (5 Mordad 1403)." \
  --source-publisher "Akhbar-e Rooz" \
  --source-title "Akhbar-e Rooz post of 6 Mordad 1403 $NOTITLE" \
  --source-url "https://www.akhbar-rooz.com/%D8%A7%D9%84%D9%85%D9%86%D8%AA%D9%88%D8%B1-150535/" \
  --source-date 1403/05/06 --accessed "$READ" \
  --quote "ماموران همچنان درهای خاوران را به روی خانواده ها بستند و اجازه ورود به آنها ندادند"
gm status $id damaged --date 1403/06/02 \
  --note "Baha'i burials in the section of the 1988 mass graves continuing; the site closed to families \"for months\"." \
  --source-publisher "Akhbar-e Rooz" \
  --source-title "Akhbar-e Rooz report citing the Telegram channel \"Manshour-e Azadi, Refah, Barabari\" $NOTITLE" \
  --source-url "https://akhbar-rooz.com/248466/1403/06/02" --accessed "$READ" \
  --quote "دفن درگذشتگان بهایی در قطعه مربوط به قتل عام زندانیان سیاسی در تابستان ۶۷ همچنان ادامه دارد"
# Low confidence (a Telegram web mirror): a further source of the 2025-01-24 closure entry.
gm status $id at-risk --date 1403/11/05 \
  --note "(The families' letter to President Pezeshkian of 5 Bahman 1403: closed to them for \"11 months\"; from a Telegram web mirror, low confidence, entered only as a further source.)" \
  --source-publisher "Hamava" \
  --source-title "Hamava Telegram channel, web mirror (low confidence) $NOTITLE" \
  --source-url "https://tx.me/s/iranhamava?q=%23%D9%82%D8%B1%D8%A8%D8%A7%D9%86%DB%8C%D8%A7%D9%86_%D8%AF%D9%87%D9%87_%DB%B6%DB%B0" \
  --accessed "$READ" \
  --quote "آنها ۱۱ ماه است که پشت درهای بسته قبرستان خاوران قرار دادند"
gm status $id at-risk --date 1404/06/07 \
  --note "Access restricted: families let in under heavy watch; security agents allowed no filming and no flowers on the graves." \
  --source-publisher "Mothers of Laleh Park (مادران پارک لاله ایران)" \
  --source-title "Mothers of Laleh Park blog post $NOTITLE" \
  --source-url "https://www.mpliran.net/2025/08/blog-post_30.html" --accessed "$READ" \
  --quote "ماموران امنیتی اجازه فیلم برداری و یا گذاشتن گل را برای مزار این عزیزان ندادند."
gm status $id at-risk --date 1404/09/07 \
  --note "Closed to families: families seeking justice for the 1980s executions went to Khavaran but could not enter." \
  --source-publisher "IranWire" \
  --source-title "IranWire report, republished by Melliun (copy) $NOTITLE" \
  --source-url "https://melliun.org/iran/504421" --accessed "$READ" \
  --quote "شماری از خانوادههای دادخواه دهه شصت برای گرامیداشت یاد زندانیان سیاسی اعدامشده به خاوران رفتند، اما امکان ورود به محل را نیافتند."
gm status $id damaged --date 1996-02-03 \
  --note "Party-only claim (PMOI/MEK): a huge mass grave discovered during excavation by a construction company in the Khavaran district of southern Tehran, and the area sealed." \
  --source-publisher "PMOI/MEK [MEK/NCRI-aligned]" \
  --source-title "PMOI/MEK report of 3 February 1996 $NOTITLE" \
  --source-url "https://english.mojahedin.org/newsen/36262" --source-date 1996-02-03 --accessed "$READ" \
  --quote "a huge mass grave was discovered during excavation by Avant Construction Company in the Khavaran district of southern Tehran"

# === Tehran: Behesht-e Zahra, a "trench-like mass grave" (section not given) =====================
gm add --name 'Behesht-e Zahra cemetery, "trench-like mass grave"' --city "Tehran" --province Tehran \
  --location-note 'Behesht-e Zahra cemetery, a "trench-like mass grave"; the section is not given (the JVMI names blocks 93 and 103: ir-tehran-02)' \
  --status unknown --status-date 2018-08-26 \
  --status-note "Testimony only: a friend of Mina watched the authorities unload corpses into a trench-like mass grave." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes testimony page, 26 August 2018 $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/577" --source-date 2018-08-26 --accessed "$READ" \
  --quote "Mina’s friend watched Iran’s authorities unload a number of corpses into a trench-like mass grave." \
  --notes "The burial date is not stated; PainScapes frames it in the context of 1988." >/dev/null

# === Karaj: Behesht-e Sakineh =====================================================================
gm add --name "Behesht-e Sakineh (Bibi Sakineh) cemetery and the desert around it" --city "Karaj" --province Alborz \
  --location-note "Behesht-e Sakineh (Bibi Sakineh) cemetery and the desert around it; victims of Gohardasht prison" \
  --status unknown --status-date 2018-03-05 \
  --status-note "Families of political prisoners executed in 1988 believe their children are buried in the desert around the cemetery." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Karaj $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/705" --accessed "$READ" \
  --quote "A number of families of political prisoners executed in the 1988 massacre believe their children are buried in the desert around this cemetery." >/dev/null
MEK_AR="https://arabic.mojahedin.org/newsar/68476/%D8%AF%D9%81%D9%86-%D8%B4%D9%87%D8%AF%D8%A7%D8%A1-%D9%85%D8%AC%D8%B2%D8%B1%D8%A9-30-%D8%A7%D9%84%D9%81-%D8%B3%D8%AC%D9%8A%D9%86-%D8%B3%D9%8A%D8%A7%D8%B3%D9%8A-%D9%81%D9%8A-%D8%B9%D8%A7%D9%85-1988-%D9%81%D9%8A-%D9%85%D9%82%D8%A7%D8%A8%D8%B1-%D8%AC%D9%85%D8%A7%D8%B9%D9%8A%D8%A9-%5E-%D8%B5%D9%88%D8%B1"
gm add --name 'Behesht-e Sakineh cemetery, "one of the sections"' --city "Karaj" --province Alborz \
  --location-note 'Behesht-e Sakineh, "km 4 of the Karaj–Qazvin highway", "one of the sections"' \
  --status unknown --status-date 2016-07-30 \
  --status-note "Party-only claim: some of those executed in Ghezel Hesar and Gohardasht prisons are said to be buried unnamed in one of the cemetery's sections." \
  --source-publisher "PMOI/MEK [MEK/NCRI-aligned]" \
  --source-title "PMOI/MEK (Arabic) article on the burial places of 1988 victims $NOTITLE" \
  --source-url "$MEK_AR" --accessed "$READ" \
  --quote "يقال ان عددا من المعدومين في سجني قزلحصار وجوهر دشت تم دفنهم مجهولين في احد القطاعات في هذه المقبرة" \
  --notes "Party-only claim. Justice for Iran reports the cemetery and the desert around it (another entry)." >/dev/null

# === Ahvaz: Padadshahr (ir-ahvaz-01) ==============================================================
id=ir-ahvaz-01
gm status $id intact --date 2007 \
  --note "Intact at a 2007 visit: graves raised on cement blocks, 122 counted (a count that includes early-1980s graves); construction debris heaped nearby." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page of 27 August 2017, quoting Rahman Bahmani's report on RaheTudeh $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/692" --source-date 2017-08-27 --accessed "$READ" \
  --quote "The graves were elevated from the ground with a cement block."
gm status $id damaged --date 2017-05-17 \
  --note "A concrete-covered mass grave uncovered by road widening was immediately covered up and the work went on (Manoto TV, relayed by Justice for Iran). Gozareshgar says the work was halted: see the next entry." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page relaying Manoto TV $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/882" --accessed "$READ" \
  --quote "upon the discovery of the mass grave it was immediately covered up and workers continued with their works."
gm status $id at-risk --date 2017-05-17 \
  --note "Contradicts the entry of the same day: Gozareshgar says excavation at the site was halted after the discovery of the mass grave. Kept side by side." \
  --source-publisher "Gozareshgar" \
  --source-title "Gozareshgar report $NOTITLE" \
  --source-url "http://gozareshgar.com/10.html?&tx_ttnews%5Btt_news%5D=32058&tx_ttnews%5BbackPid%5D=23&cHash=67617510f253881cc717a593ee66c33e" \
  --accessed "$READ" \
  --quote "در حال حاضر عملیات خاک برداری این مکان بعلت پیدا شدن این گور جمعی زندانیان سیاسی دهه شصت متوقف شده است"
gm status $id at-risk --date undated \
  --note "\"Imminent destruction\" (the page shows no date; it says \"2017 marks the 29th anniversary\")." \
  --source-publisher "Amnesty International" \
  --source-title "Amnesty International page on the mass grave site in Ahvaz $NOTITLE" \
  --source-url "https://amnesty.org/en/?p=33542" --accessed "$READ" \
  --quote "Immediate action is needed to stop the imminent destruction of a mass grave site in the southern Iranian city of Ahvaz"
gm status $id at-risk --date 2017-06-02 \
  --note "Turned into a landfill of construction waste (Amnesty International's researcher Raha Bahreini to Euronews)." \
  --source-publisher "Amnesty International" \
  --source-title "Justice for Iran's PainScapes page of 2 June 2017 quoting Amnesty International's Raha Bahreini to Euronews $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/884" --source-date 2017-06-02 --accessed "$READ" \
  --quote "It is currently turned into a landfill of construction waste."
gm status $id at-risk --date 2017-07-06 \
  --note "More construction waste moved close to the grave (footage of 6 July 2017)." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page of 13 July 2017 $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/80" --source-date 2017-07-13 --accessed "$READ" \
  --quote "the authorities have transferred more construction waste into much closer proximity of the grave"
gm status $id bulldozed --date 2018-07-27 \
  --note "Levelled to plain ground in under 24 hours, in the week before 27 July 2018." \
  --source-publisher "Justice for Iran" \
  --source-title "Justice for Iran report on the levelling of the graves $NOTITLE" \
  --source-url "https://justice4iran.org/11383/" --accessed "$READ" \
  --quote "entire sites of mass graves being transformed into plain ground resembling the surrounding area"
gm status $id bulldozed --date 2018-07 \
  --note "Razed to the ground by hydraulic excavators and kept under tight control by security agents." \
  --source-publisher "Radio Farda" \
  --source-title "Radio Farda report, republished by Justice for Iran (copy) $NOTITLE" \
  --source-url "https://justice4iran.org/11401/" --accessed "$READ" \
  --quote "The graves, which have been completely razed to the ground by hydraulic excavators, are currently under tight control and supervision by security agents."
gm status $id built-upon --date 2018-07 \
  --note "Party claim, consistent with Amnesty International's urgent action: a boulevard over the grave from the end of July 2018." \
  --source-publisher "JVMI (Justice for the Victims of the 1988 Massacre in Iran) [MEK/NCRI-aligned]" \
  --source-title "JVMI article on the road built over the mass grave $NOTITLE" \
  --source-url "https://iran1988.org/iran-builds-road-over-mass-grave-of-victims-of-the-1988-massacre/" --accessed "$READ" \
  --quote "The boulevard connects Besharat Street to Beheshtabad Boulevard in the section between Mahdis and Phase 5 of Padadshahr."
gm status $id built-upon --date 2020-09-08 \
  --note "Party-only claim: \"Vesal\" street over the grave (documentary report by MEK supporters)." \
  --source-publisher "MEK supporters [MEK/NCRI-aligned]" \
  --source-title "Documentary report of 8 September 2020, on the NCRI-aligned Arabic site iranfreedom.org $NOTITLE" \
  --source-url "https://iranfreedom.org/ar/25227" --source-date 2020-09-08 --accessed "$READ" \
  --quote "أهواز ..شارع وصال يربط شارع بشارت بشارع بهشت آباد"

# === Ahvaz: Darvish garrison (ir-ahvaz-02) ========================================================
id=ir-ahvaz-02
gm status $id unknown --date 1396/06/05 \
  --note "About 30 political prisoners of Karun prison killed in the massacre buried, together and apart, left of the entrance of the Darvish garrison (of the IRGC); from Abbas Bakhtiari's material." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on the Darvish garrison, in Persian, from Abbas Bakhtiari's material $NOTITLE" \
  --source-url "https://painscapes.com/cities/358" --accessed "$READ" \
  --quote "سی تن از زندانیان سیاسیِ قتلعامشده زندان کارون اهواز به طور دستهجمعی و نیز پراکنده در سمت چپ درِ ورودی پادگان درویش -متعلق به سپاه پاسداران- دفن شدهاند."
gm status $id intact --date 1396/12/17 \
  --note "Two cement structures on the Ahvaz–Mahshahr road, by Imamzadeh Seyyed Amir, next to the Shahid Darvish NAJA training centre." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes text of 17 Esfand 1396, reposted on the personal blog mohsensayahii.blogspot.com (copy; the original PainScapes URL was not found) $NOTITLE" \
  --source-url "https://mohsensayahii.blogspot.com/2019/02/blog-post_54.html" --source-date 1396/12/17 --accessed "$READ" \
  --quote "در مسیر جاده اهواز به ماهشهر، در حاشیه امامزاده سید امیر و در مجاورت مرکز آموزش شهید درویش ناجا، دو سازه سیمانی وجود دارد"
gm status $id unknown --date undated \
  --note "One of \"three\" 1988 mass graves reported found in Khuzestan \"since the first days of this year\" (the page shows no date)." \
  --source-publisher "IranWire" \
  --source-title "IranWire report, republished by Shahrvand (copy) $NOTITLE" \
  --source-url "http://shahrvand.com/archives/87766" --accessed "$READ" \
  --quote "از نخستین روزهای سال جاری تا کنون، سه گور دسته جمعی متعلق به کشته شدگان تابستان۶۷ در خوزستان کشف شده است."
# Two independent publishers now report a mass grave at the garrison's entrance: KMMK (first
# list) and Justice for Iran (PainScapes, from Abbas Bakhtiari's material).
gm edit "$id" --verification corroborated

# === Bandar Mahshahr: beside the old cemetery (new site) ==========================================
id=$(gm add --name "Beside the old Mahshahr cemetery (Mahshahr-e Kohneh)" --city "Bandar Mahshahr" --province Khuzestan \
  --location-note "Beside the old Mahshahr cemetery (Mahshahr-e Kohneh, old Mahshahr); political prisoners of Nava prison" \
  --status unknown --status-date 1396/06/05 \
  --status-note "Mass graves of political prisoners of Nava prison killed in the massacre, beside the old Mahshahr cemetery." \
  --source-publisher "Akhbar-e Rooz" \
  --source-title "Akhbar-e Rooz report of 5 Shahrivar 1396, republished by Mothers of Laleh Park (copy) $NOTITLE" \
  --source-url "https://www.mpliran.net/2017/08/blog-post_79.html" --source-date 1396/06/05 --accessed "$READ" \
  --quote "گورهای جمعیِ زندانیان سیاسیِ قتل عام شده ی زندانِ ناوا بندر ماهشهر در کنار گورستان ماهشهر کهنه (ماهشهر قدیم) قرار دارند")
gm status "$id" unknown --date undated \
  --note "The number of bodies has not been reported (the page shows no date; the quote is sic)." \
  --source-publisher "Kurdistan Human Rights Association (KMMK)" \
  --source-title "KMMK article on the discovery of a mass grave in Ahvaz $NOTITLE" \
  --source-url "https://www.kmmk.info/en/1946/the-discovery-of-the-mass-grave-of-the-political-prisoners-of-the-eighties-in-ahvaz/" \
  --accessed "$READ" \
  --quote "the number of bodies of discovery No news has been published in the mass grave of Mahshahr"
gm edit "$id" --verification corroborated

# === Mashhad: Behesht-e Reza (ir-mashhad-01) ======================================================
id=ir-mashhad-01
gm status $id built-upon --date 2018-03-08 \
  --note "Individual graves or buildings begun in two of the three suspected mass-grave areas." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Mashhad $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/707" --accessed "$READ" \
  --quote "construction initiatives to build individual graves or buildings have begun in two of the three locations"
gm status $id bulldozed --date undated \
  --note "Party-only claim: a group of 10 agents with tractors and rollers levelling the mass graves to make new graves (the page shows no date; 2017 context)." \
  --source-publisher "Hambastegi Meli [MEK/NCRI-aligned]" \
  --source-title "Hambastegi Meli article $NOTITLE" \
  --source-url "https://www.hambastegimeli.com/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1-%D8%A7%D9%8A%D8%B1%D8%A7%D9%86/69677-%D8%AA%D9%88%D8%B7%D8%A6%D9%87-%D8%A2%D8%AE%D9%88%D9%86%D8%AF%D9%87%D8%A7-%D8%A8%D8%B1%D8%A7%DB%8C-%D8%A7%D8%B2-%D8%A8%DB%8C%D9%86-%D8%A8%D8%B1%D8%AF%D9%86-%D8%A2%D8%AB%D8%A7%D8%B1-%D9%82%D8%AA%D9%84-%D8%B9%D8%A7%D9%85-%DB%B6%DB%B7" \
  --accessed "$READ" \
  --quote "یک گروه ۱۰ نفری از دژخیمان با استفاده از ماشین آلات سنگین مانند تراکتور و غلطک، گورهای جمعی شهیدان مجاهد خلق در گورستان بهشت رضا را تخریب می کنند"
IFMAT_1026="https://www.ifmat.org/10/26/iranian-authorities-destroy-graves-of-political-prisoners-executed-in-the-1980s/"
gm status $id bulldozed --date undated \
  --note "A section of Behesht-e Reza (also \"Salam Hill\", Tapeh Salam cemetery) demolished \"from early September\", after \"social media reports\"; the year is not shown (URL path /10/26/). Iran News Update dates the same wave \"the start of October\": see the 2023-10 entry. Kept side by side." \
  --source-publisher "ifmat.org (aggregator)" \
  --source-title "Aggregator article on the destruction of graves of political prisoners executed in the 1980s, citing \"social media reports\" [alignment unclear; uses the MEK's figures elsewhere] $NOTITLE" \
  --source-url "$IFMAT_1026" --accessed "$READ" \
  --quote "Security forces have reportedly demolished a section of the Behesht-e Reza Cemetery in the city of Mashhad, Iran, which was the burial site of political prisoners executed in the 1980s."
gm status $id bulldozed --date 2023-10 \
  --note "Party-aligned source: demolitions began \"at the start of October this year\" (the first list dates the page 2023); ifmat.org says \"early September\". Kept side by side." \
  --source-publisher "Iran News Update (NCRI-aligned)" \
  --source-title "Iran News Update article $NOTITLE" \
  --source-url "https://irannewsupdate.com/news/human-rights/irans-regime-destroys-political-prisoners-graves-to-erase-its-crimes/" \
  --source-date 2023 --accessed "$READ" \
  --quote "The recent demolitions in Mashhad began at the start of October this year and have continued since then."

# === Mashhad: Bagh-e Malekabad (new site, party-only) =============================================
gm add --name "Bagh-e Malekabad protected area" --city "Mashhad" --province "Razavi Khorasan" \
  --location-note "Bagh-e Malekabad protected area" \
  --status unknown --status-date 2016-09 \
  --status-note "Party-only claim: a mass grave of the summer-1988 massacre that no one has been able to report on because of heavy security." \
  --source-publisher "Blog in MEK campaign vocabulary (azadifada.blogspot.com) [MEK/NCRI-aligned]" \
  --source-title "Blog post of September 2016 $NOTITLE" \
  --source-url "https://azadifada.blogspot.com/2016/09/blog-post_77.html" --source-date 2016-09 --accessed "$READ" \
  --quote "در این منطقه یک گور جمعی قتلعام شدگان تابستان۶۷ وجود دارد که بهدلیل وجود حفاظت شدید در این منطقه٫تا کنون کسی موفق به تهیه گزارش از این محل نشده است" \
  --notes "Party-only claim." >/dev/null

# === Tabriz: Vadi-e Rahmat, "Children's Block" (ir-tabriz-01) =====================================
id=ir-tabriz-01
gm status $id paved-over --date 1396 \
  --note "Concreted in 1396 (2017-18); a platform built on its lower side; the flat concreted area is used for official ceremonies." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Tabriz, in Persian, 14 Tir 1397 $NOTITLE" \
  --source-url "https://painscapes.com/cities/496" --source-date 1397/04/14 --accessed "$READ" \
  --quote "از این محوطه مسطح بتونریزیشده که یک جایگاه نیز در ضلع پایینی آن درست شده است، برای برگزاری مراسم رسمی استفاده میشود."
gm status $id paved-over --date 1396/04/01 \
  --note "Party claim: concrete more than 10 cm thick poured from 1 Tir 1396; about 200 m² so far." \
  --source-publisher "PMOI/MEK [MEK/NCRI-aligned]" \
  --source-title "PMOI/MEK article on the destruction of graves in Tabriz $NOTITLE" \
  --source-url "https://www.mojahedin.org/news/200681/%D8%A7%D9%81%D8%B4%D8%A7%DB%8C-%D8%AC%D9%86%D8%A7%DB%8C%D8%AA-%D8%AA%D8%AE%D8%B1%DB%8C%D8%A8-%D9%85%D8%B2%D8%A7%D8%B1-%D8%B4%D9%87%D8%AF%D8%A7%DB%8C-%D9%85%D8%AC%D8%A7%D9%87%D8%AF-%D8%AE%D9%84%D9%82-%D8%AF%D8%B1-%D8%AA%D8%A8%D8%B1%DB%8C%D8%B2-%5E-%D9%81%DB%8C%D9%84%D9%85-%D9%88-%D8%B9%DA%A9%D8%B3" \
  --accessed "$READ" \
  --quote "اقدام به ریختن بتون به ضخامت بیش از ۱۰سانتیمتر کردند"
gm status $id paved-over --date 1396/04/06 \
  --note "Party-aligned blog: 75 graves destroyed; a sign at the site reads \"levelling of the Children's Block\"." \
  --source-publisher "Blog nabezendan.blogspot.com [MEK/NCRI-aligned vocabulary]" \
  --source-title "Blog post of 6 Tir 1396 $NOTITLE" \
  --source-url "http://nabezendan.blogspot.com/2017/06/blog-post_95.html" --source-date 1396/04/06 --accessed "$READ" \
  --quote "آنها در محل تخریب تابلویی با عنوان «همسان سازی بلوک کودکان» نصب کردهاند"

# === Tabriz: sewer excavation in the "40-metri" neighbourhood (suspected separate site) ============
id=$(gm add --name 'Sewer excavation in the "40-metri" neighbourhood (suspected)' --city "Tabriz" --province "East Azerbaijan" \
  --location-note 'Sewer excavation in the "40-metri" neighbourhood, where human remains were found on 20 Azar 1395 (10 December 2016)' \
  --status unknown --status-date 2016-12-18 \
  --status-note "Human remains found in a sewer excavation; the governor of Tabriz denied it was a mass grave." \
  --source-publisher "Kayhan Life (London)" \
  --source-title "Kayhan Life article, 18 December 2016 $NOTITLE" \
  --source-url "https://kayhanlife.com/translated-features/mass-grave-discovered-in-tabriz/" --source-date 2016-12-18 --accessed "$READ" \
  --quote "the governor of Tabriz, asserting, “This doesn’t seem to be the site of a mass grave.”" \
  --notes "A suspected site: any link to 1988 is speculation by the publishers.")
gm cite "$id" --source-publisher "khabargar.co (blog)" \
  --source-title "Blog post naming the neighbourhood $NOTITLE" \
  --source-url "http://www.khabargar.co/2016/12/blog-post_504.html" --accessed "$READ" >/dev/null

# === Rasht: Tazeh Abad (ir-rasht-01) ==============================================================
id=ir-rasht-01
gm status $id built-upon --date undated \
  --note "The concrete broken, rubbish dumped, then the mass grave covered with other graves and wiped out (\"report received\"; the page shows no date)." \
  --source-publisher "Akhbar-e Rooz" \
  --source-title "Akhbar-e Rooz report, republished by Tribune Zamaneh (copy) $NOTITLE" \
  --source-url "https://www.tribunezamaneh.com/archives/31609" --accessed "$READ" \
  --quote "حالا روی آن گور دسته جمعی را با گورهای دیگر پوشانده و آن را کاملا محو کرده اند"
gm status $id built-upon --date 1390 \
  --note "Party-aligned source: new graves made on the mass graves and sold \"in 1390\" (2011-12); Amnesty International and Justice for Iran say \"since 2008\". Kept side by side." \
  --source-publisher "ppa-iran.com [MEK/NCRI-aligned vocabulary]" \
  --source-title "ppa-iran.com post of 5 Esfand 1396 $NOTITLE" \
  --source-url "http://www.ppa-iran.com/%D9%87%DB%8C%D8%A8%D8%AA-%D9%88-%D8%B4%DA%A9%D9%88%D9%87-%DB%8C%DA%A9-%D9%86%D8%B3%D9%84-%D8%B1%D8%A7-%D9%86%D9%87-%D8%AA%D9%86%D9%87%D8%A7-%D8%AF%D8%B1-%D8%B2%DB%8C%D8%B3%D8%AA%D9%86-%D8%A8%D9%84/" \
  --source-date 1396/12/05 --accessed "$READ" \
  --quote "رژیم در سال 1390 در پی زدودا ابعاد جنایاتش و برای اینکه اثری از آن فجایع باقی نماند روی آنها مجددا قبر درست کرد و به مردم عادی فروخت"
gm status $id built-upon --date undated \
  --note "New graves placed where the mass grave was; the page says Amnesty International reported it \"on May 27\" (year not shown)." \
  --source-publisher "Iran News Wire" \
  --source-title "Iran News Wire article [alignment unclear; reposted by the MEK-aligned iranliberty.net] $NOTITLE" \
  --source-url "https://irannewswire.org/iran-possible-to-have-whitewashed-mass-grave-spot-in-rasht/" --accessed "$READ" \
  --quote "New graves have reportedly been placed in Tazeh Abad Cemetery in Rasht, where a mass grave once used to be."
# Two independent publishers now report the mass grave built over: Justice for Iran (first list)
# and Akhbar-e Rooz. (ppa-iran.com is party-aligned; Iran News Wire's alignment is unclear.)
gm edit "$id" --verification corroborated

# === Rudsar: Boulevard-e Shohada (new site) =======================================================
gm add --name "Plot on Boulevard-e Shohada next to the Islamic Azad University" --city "Rudsar" --province Gilan \
  --location-note "Plot on Boulevard-e Shohada next to the Islamic Azad University" \
  --status at-risk --status-date 1396/06/05 \
  --status-note "Construction under way for months; residents expect a commercial centre; once built, the mass grave will lie under the building (the list gives \"at-risk / built-upon\")." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Rudsar, in Persian $NOTITLE" \
  --source-url "https://painscapes.com/cities/329" --accessed "$READ" \
  --quote "در صورت اتمام این عملیات ساختمانی، گور جمعی رودسر در زیر ساختمان قرار خواهد گرفت" >/dev/null

# === Lahijan: Aqa Seyed Morteza cemetery (new site, party-only) ===================================
id=$(gm add --name "North-eastern end of Aqa Seyed Morteza cemetery" --city "Lahijan" --province Gilan \
  --location-note "North-eastern end of Aqa Seyed Morteza cemetery" \
  --status unknown --status-date 2016-08 \
  --status-note "Party-only claim: those killed in the massacre buried secretly and together at the north-eastern end of the cemetery." \
  --source-publisher "Blog text attributed to \"Iran-e Azad-e Farda\" [MEK/NCRI-aligned vocabulary]" \
  --source-title "Blog post of August 2016 on mostafanikar.blogspot.com $NOTITLE" \
  --source-url "http://mostafanikar.blogspot.com/2016/08/blog-post_23.html" --source-date 2016-08 --accessed "$READ" \
  --quote "اقدام به دفن مخفیانه و جمعی قتل عام شدگان در منتهی الیه شمال شرقی این گورستان کرده است." \
  --notes "Party-only claim.")
gm cite "$id" --source-publisher "Blog text attributed to \"Iran-e Azad-e Farda\" [MEK/NCRI-aligned vocabulary]" \
  --source-title "Earlier version of the same blog text, dated 29 Shahrivar 1394, on iranmassacre1998.blogspot.com $NOTITLE" \
  --source-url "http://iranmassacre1998.blogspot.com/2015/09/67_20.html" --source-date 1394/06/29 --accessed "$READ" >/dev/null

# === Sanandaj (ir-sanandaj-01) ====================================================================
gm status ir-sanandaj-01 built-upon --date 2018-05-14 \
  --note "Part of a crowded shopping area." \
  --source-publisher "Justice for Iran" \
  --source-title "Justice for Iran report on Sanandaj $NOTITLE" \
  --source-url "https://justice4iran.org/11265/" --accessed "$READ" \
  --quote "The mass grave site now forms part of a crowded shopping area in Sanandaj."

# === Qorveh (ir-qorveh-01) ========================================================================
id=ir-qorveh-01
gm status $id bulldozed --date 1395 \
  --note "Bulldozed in 1395 (2016-17), as a photo caption of the graves \"before the destruction of 1395\" confirms." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Qorveh, in Persian, 19 Esfand 1396 $NOTITLE" \
  --source-url "https://painscapes.com/cities/803" --source-date 1396/12/19 --accessed "$READ" \
  --quote "نمایی از مزارهای زندانیان سیاسی در حاشیه گورستان بهاییان قروه، قبل از تخریب سال ۱۳۹۵"
# The adjacent Baha'i cemetery: the page does not mention the 1988 graves, so it is a source for
# the site (context), not a status of it.
gm cite $id --source-publisher "Kurdistan Human Rights Association (KMMK)" \
  --source-title "KMMK (Persian) report on the destruction of the adjacent Baha'i cemetery (Golestan Javid) of Qorveh: buildings destroyed and more than 300 trees cut; the page does not mention the 1988 graves and shows no date (its URL path contains 2016) $NOTITLE" \
  --source-url "https://www.kmmk.info/fa/2698/2016/%D8%AA%D8%AE%D8%B1%DB%8C%D8%A8-%DA%AF%D9%84%D8%B3%D8%AA%D8%A7%D9%86-%D8%AC%D8%A7%D9%88%DB%8C%D8%AF-%D9%82%D8%B1%D9%88%D9%87-%D8%A7%D8%B2-%D8%B3%D9%88%DB%8C-%D9%86%DB%8C%D8%B1%D9%88%D9%87%D8%A7%DB%8C/" \
  --accessed "$READ" \
  --quote "ساختمان های گلستان جاوید ( قبرستان بهائیان )  در قروە را  تخریب و بیش از ۳۰۰ درخت را در این محل قطع کردند" >/dev/null

# === Saleh Abad (Ilam): Saleh Abad cemetery (new site, Justice for Iran) ==========================
id=$(gm add --name "Saleh Abad cemetery, border area" --city "Saleh Abad" --province Ilam \
  --location-note "Saleh Abad cemetery, in the border area; a trench of 1988 victims" \
  --status damaged --status-date undated \
  --status-note "The authorities smashed the tombstones families set over these graves in earlier years; now they allow them to remain (the site page shows no date)." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Saleh Abad $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/156" --accessed "$READ" \
  --quote "the authorities smashed the tombstones families erected over these graves … they have allowed them to remain intact" \
  --notes "The JVMI's list names the Ali Saleh shrine at Saleh Abad (ir-salehabad-01); whether the two are one place is not established.")
gm status "$id" unknown --date 2018-08-26 \
  --note "Survivor testimony: Tahereh says victims of the massacre are buried in mass graves at Saleh Abad." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes testimony page $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/579" --accessed "$READ" \
  --quote "Tahereh says that these victims from the massacre are buried in mass graves at Saleh Abad in Ilam, Iran."

# === Masjed Soleyman (ir-masjed-soleyman-01) ======================================================
gm status ir-masjed-soleyman-01 paved-over --date 1396/12/18 \
  --note "The whole area round the graves, not only the graves, covered in cement (survivor Mehri Alghaspour)." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes page on Masjed Soleyman, in Persian, quoting survivor Mehri Alghaspour $NOTITLE" \
  --source-url "https://painscapes.com/cities/764" --accessed "$READ" \
  --quote "کل این محوطه را یعنی نه فقط روی گورها بله اطرافش را هم با سیمان پوشانده اند."

# === Shiraz (ir-shiraz-01) ========================================================================
gm status ir-shiraz-01 unknown --date 2018-08-15 \
  --note "Testimony only, no status: a witness to trucks full of bodies unloading at the cemetery." \
  --source-publisher "Justice for Iran" \
  --source-title "PainScapes testimony page $NOTITLE" \
  --source-url "https://painscapes.com/en/cities/499" --accessed "$READ" \
  --quote "he has been traumatised because he was witness to trucks full of bodies unloading at the cemetery."

# === Kazerun (new site; 1980s, 1988 not specified) ================================================
gm add --name "Unnamed burial ground off Neshat Street" --city "Kazerun" --province Fars \
  --location-note "An irregular, unnamed burial ground in an alley off Neshat Street, north-west Kazerun" \
  --status unknown --status-date 2019-07-18 \
  --status-note "An irregular unnamed burial ground on land never used as a cemetery (the quote's \"ally\" is sic)." \
  --source-publisher "HRANA (Human Rights Activists News Agency)" \
  --source-title "HRANA report, on its tag page \"saeed-abedi\" $NOTITLE" \
  --source-url "https://www.en-hrana.org/tag/saeed-abedi" --accessed "$READ" \
  --quote "An irregular unnamed cemetery is in an ally in Neshat street in northwest of Kazerun … This land was never used as a cemetery" \
  --notes "Burials of the 1980s executions; the source does not say 1988." >/dev/null

# === Bandar Gaz (new; individual graves; 1980s, 1988 not specified) ===============================
gm add --name "Graves in family home yards, Gaz Sharghi" --city "Bandar Gaz" --province Golestan \
  --location-note "Individual graves in the yards of family homes in the village of Gaz Sharghi" \
  --status unknown --status-date 2015-06-28 \
  --status-note "Families buried many of those executed in their private homes." \
  --source-publisher "HRANA (Human Rights Activists News Agency)" \
  --source-title "HRANA report, on its tag page \"80s-mass-executions\" $NOTITLE" \
  --source-url "https://www.en-hrana.org/tag/80s-mass-executions" --accessed "$READ" \
  --quote "The bodies of many of those executed had been buried by their families in their private homes." \
  --notes "Individual graves, not a mass grave; burials of the 1980s executions; the source does not say 1988." >/dev/null

# === Zanjan (new site, party-only) ================================================================
gm add --name '"Upper cemetery" on Dabbagha Street' --city "Zanjan" --province Zanjan \
  --location-note 'The "upper cemetery" of Zanjan on Dabbagha Street; three pits, lime poured over the bodies (a guard'"'"'s account)' \
  --status unknown --status-date 2017-01 \
  --status-note "Party-only claim: the bodies taken to the upper cemetery of Zanjan on Dabbagha Street (a guard's account)." \
  --source-publisher "Blog in MEK vocabulary (golesorkhiran.blogspot.com) [MEK/NCRI-aligned]" \
  --source-title "Blog post of January 2017 $NOTITLE" \
  --source-url "https://golesorkhiran.blogspot.com/2017/01/1367.html" --source-date 2017-01 --accessed "$READ" \
  --quote "بعد جنازه ها را به قبرستان بالاى زنجان واقع در خيابان دباغها منتقل كردند." \
  --notes "Party-only claim." >/dev/null

# === Zahedan (new site, party-only) ===============================================================
gm add --name "Zahedan cemetery, north side" --city "Zahedan" --province "Sistan and Baluchestan" \
  --location-note "Zahedan cemetery, north side" \
  --status unknown --status-date 2017-06 \
  --status-note "Party-only claim: victims of the massacre buried in the Zahedan cemetery." \
  --source-publisher "Blog in MEK vocabulary (golesorkhiran.blogspot.com) [MEK/NCRI-aligned]" \
  --source-title "Blog post of June 2017 $NOTITLE" \
  --source-url "http://golesorkhiran.blogspot.com/2017/06/blog-post_20.html" --source-date 2017-06 --accessed "$READ" \
  --quote "اين شهيدان در گورستان زاهدان دفن شده اند." \
  --notes "Party-only claim." >/dev/null

# === Isfahan: Bagh-e Rezvan (new site, party-only) ================================================
gm add --name "Bagh-e Rezvan cemetery" --city "Isfahan" --province Isfahan \
  --location-note "Bagh-e Rezvan cemetery" \
  --status unknown --status-date 2016-07-30 \
  --status-note "Party-only claim: the burial place of many of the city's political prisoners killed together in the 1988 massacre in Isfahan prison." \
  --source-publisher "PMOI/MEK [MEK/NCRI-aligned]" \
  --source-title "PMOI/MEK (Arabic) article on the burial places of 1988 victims $NOTITLE" \
  --source-url "$MEK_AR" --accessed "$READ" \
  --quote "وفي اصفهان- باغ رضوان مقبرة العديد من شهداء هذه المدينة ممن تم تصفيتهم خلال مجزرة السجناء السياسيين في عام1988 في سجن اصفهان جماعيا." \
  --notes "Party-only claim." >/dev/null

# === Babol: Baha'i and Jewish cemeteries (ir-babol-01) ============================================
# Same URL as the Mashhad ifmat row: one aggregator page on both cities. The same claim as the
# existing (NCRI-aligned) source, so it joins that entry: still no independent source.
gm status ir-babol-01 built-upon --date 2023 \
  --note "(The same claim on a second aggregator, ifmat.org, alignment unclear, page undated: still no independent source.)" \
  --source-publisher "ifmat.org (aggregator)" \
  --source-title "Aggregator article on the destruction of graves of political prisoners executed in the 1980s [alignment unclear] $NOTITLE" \
  --source-url "$IFMAT_1026" --accessed "$READ" \
  --quote "A large housing project of multistory buildings was constructed on some of these execution graves"

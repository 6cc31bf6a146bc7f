#!/usr/bin/env bash
# The log of how data/sites.geojson was entered: every command a researcher ran, in order.
#
# Source of every claim: shared/sources/1988-reported-sites.md ("Publicly reported burial sites
# of the 1988 executions in Iran", compiled from stored copies of public pages, November 2026).
# Rules followed (from that file):
#   - one site per row; a site with several dated reports gets several status entries;
#   - no source gives coordinates: the city is geocoded offline (precision `city`, a GeoNames
#     city centre, NOT the grave's position) and the site's description goes in --location-note;
#   - every claim is attributed; a claim made only by a party to the conflict (NCRI/PMOI and
#     sites aligned with it) stays `reported`, with the publisher named;
#   - a URL marked *copy* is a third-party copy: the organisation is the publisher, the copy's
#     URL is the url, and the title says it is a copy;
#   - where sources disagree on dates, both are entered, each with its own source.
# Where the source list gives no title, the source's title describes it and ends "(title not
# recorded in the source list)"; a source's date is entered only where the list gives it.
# Where a source gives no date for what it describes, the status is dated by when the source was
# read (2026-11) and the status note says so. [Corrected in the second pass, whose rules say such
# an entry is undated, never dated the day it was read: see 1988-reported-sites-2.sh.]
#
# Re-running this script on a file that already holds these sites would add them again: it is a
# record, replayed with the second pass from an empty file by replay.sh:
#   bash data/entry/replay.sh /tmp/sites.geojson
set -euo pipefail
declare -F gm >/dev/null || gm() { "${GRAVEMAP:-gravemap}" "$@"; }
READ=2026-11  # when the stored copies of the sources were read

# --- Tehran: Khavaran -------------------------------------------------------------------------
id=$(gm add --name "Khavaran" --name-fa "خاوران" --city "Tehran" --province Tehran \
  --location-note 'Khavaran (خاوران), called "Lanatabad" (لعنت‌آباد)' \
  --status bulldozed --status-date 2009-01 \
  --status-note "Covered with soil and trees planted; ad hoc grave markings destroyed by bulldozer, 9-16 January 2009" \
  --source-publisher "Amnesty International" \
  --source-title "Amnesty International public statement, February 2009 (third-party copy)" \
  --source-url "http://revolutionaryflowerpot.blogspot.com/2009/02/stop-destruction-of-khavaran-grave-site.html" \
  --source-date 2009-02 --accessed "$READ" \
  --quote "between 9-16 January 2009, the numerous ad hoc grave markings … were destroyed by bulldozer")
gm status "$id" damaged --date 2021-04-23 \
  --note "New graves dug on the mass-grave section" \
  --source-publisher "Families of the victims (letter to the UN High Commissioner for Human Rights, published by Bidaran)" \
  --source-title "Families' letter to the UN High Commissioner, 27 April 2021" \
  --source-url "http://bidaran.com/spip.php?article455" --source-date 2021-04-27 --accessed "$READ" \
  --quote "two new graves and ten others being prepared for burial had appeared"
gm status "$id" at-risk --date 2022-09 \
  --note "Walled in: new high concrete walls erected around the cemetery" \
  --source-publisher "Iran International (reporting Amnesty International)" \
  --source-title "Iran International, reporting Amnesty International, 13 September 2022" \
  --source-url "https://d156axqdhqxfu.cloudfront.net/en/202209133393" --source-date 2022-09-13 --accessed "$READ" \
  --quote "erected new high concrete walls around the Khavaran cemetery"
gm status "$id" at-risk --date 2025-01-24 \
  --note "Closed to the families since early 2024 (reported 24 January 2025)" \
  --source-publisher "Iran International" \
  --source-title "Iran International, 24 January 2025" \
  --source-url "https://v2.iranintl.com/en/202501249085" --source-date 2025-01-24 --accessed "$READ" \
  --quote "closed to the families since early 2024"
gm edit "$id" --verification corroborated

# --- Ahvaz: Padadshahr ------------------------------------------------------------------------
id=$(gm add --name "Padadshahr mass grave (\"Mazar\")" --city "Ahvaz" --province Khuzestan \
  --location-note 'Padadshahr, 3 km east of Behesht Abad cemetery; families call it "Mazar"; at least 44 buried' \
  --status built-upon --status-date 2018-07-20 \
  --status-note "Razed and a boulevard built over it (from 20 July 2018)" \
  --source-publisher "Amnesty International" \
  --source-title "Amnesty International urgent action (third-party copy)" \
  --source-url "https://ai-madison139.blogspot.com/2018/07/iran-road-to-be-built-over-grave-sites.html" \
  --accessed "$READ" \
  --quote "the concrete structure marking the mass grave as well as dozens of individual graves have been smashed to pieces")
gm cite "$id" --source-publisher "Amnesty International" \
  --source-title "Amnesty International MDE 13/8828/2018" \
  --source-url "https://www.amnesty.org/ar/documents/mde13/8828/2018/fr/" --source-date 2018 --accessed "$READ" >/dev/null
gm status "$id" built-upon --date 2018-07-20 --source s2  # the same destruction: joins the entry
gm status "$id" damaged --date 2018-03 \
  --note "The UN Special Rapporteur is concerned by the reported desecration of sites believed to be mass graves in Mashhad and Ahvaz" \
  --source-publisher "UN Special Rapporteur on the situation of human rights in Iran (report A/HRC/37/68, quoted by iran1988.org)" \
  --source-title "UN Special Rapporteur report A/HRC/37/68, March 2018 (as quoted at iran1988.org)" \
  --source-url "https://iran1988.org/latest-report-of-the-un-special-rapporteur-on-iran-reiterates-need-for-an-investigation-into-the-1988-massacre/" \
  --source-date 2018-03 --accessed "$READ" \
  --quote "reported desecration of sites believed to be mass graves"
gm edit "$id" --verification corroborated

# --- Mashhad: Behesht-e Reza ------------------------------------------------------------------
id=$(gm add --name "Behesht-e Reza cemetery, sections 10, 22 and 27" --city "Mashhad" --province "Razavi Khorasan" \
  --location-note "Behesht-e Reza cemetery, sections 10, 22 and 27; about 170 bodies" \
  --status damaged --status-date 2017-08 \
  --status-note "Soil mounds raised over the grave (reported to the UN, August 2017)" \
  --source-publisher "UN Special Rapporteur on the situation of human rights in Iran (A. Jahangir; report A/72/322, para. 71, quoted by iran1988.org)" \
  --source-title "UN Special Rapporteur report A/72/322, paragraph 71 (as quoted at iran1988.org)" \
  --source-url "https://iran1988.org/new-report-un-special-rapporteur-draws-attention-irans-1988massacre/" \
  --source-date 2017-08 --accessed "$READ" \
  --quote "the previously flat area had been covered with soil to create a raised mound over the grave")
gm status "$id" damaged --date 2018-03 \
  --note "The UN Special Rapporteur is concerned by the reported desecration of sites believed to be mass graves in Mashhad and Ahvaz" \
  --source-publisher "UN Special Rapporteur on the situation of human rights in Iran (report A/HRC/37/68, quoted by iran1988.org)" \
  --source-title "UN Special Rapporteur report A/HRC/37/68, March 2018 (as quoted at iran1988.org)" \
  --source-url "https://iran1988.org/latest-report-of-the-un-special-rapporteur-on-iran-reiterates-need-for-an-investigation-into-the-1988-massacre/" \
  --source-date 2018-03 --accessed "$READ" \
  --quote "reported desecration of sites believed to be mass graves"
gm status "$id" built-upon --date 2018-03-07 \
  --note "New burial plots made on one section, new buildings on another" \
  --source-publisher "Justice for Iran (PainScapes)" \
  --source-title "Mashhad: Criminal Evidence under Piles of Dirt" \
  --source-url "https://painscapes.com/en/cities/851" --accessed "$READ" \
  --quote "They are making new burial plots in one section, and new buildings in the other."
gm edit "$id" --verification corroborated

# --- Tabriz: Vadieh Rahmat, "Children's Block" (two sources, two start dates) ---------------------
id=$(gm add --name "Vadieh Rahmat cemetery, \"Children's Block\"" --name-fa "وادی رحمت" --city "Tabriz" --province "East Azerbaijan" \
  --location-note "Vadieh Rahmat cemetery (وادی رحمت), the \"Children's Block\"" \
  --status paved-over --status-date 2016-06 \
  --status-note "More than half covered in concrete and made a ceremonial open space; Amnesty International UK dates the work June 2016 to September 2017" \
  --source-publisher "Amnesty International UK" \
  --source-title "Amnesty International UK press release (title not recorded in the source list)" \
  --source-url "https://www.amnesty.org.uk/press-releases/iranian-authorities-bulldozing-mass-graves-sites-destroy-evidence-new-report" \
  --accessed "$READ" \
  --quote "the authorities have poured concrete over more than half of the area")
gm status "$id" paved-over --date 2017-06 \
  --note "More than half covered in concrete; Justice for Iran dates the work June 2017 to September 2017" \
  --source-publisher "Justice for Iran" \
  --source-title "Extract of the Amnesty International / Justice for Iran report (title not recorded in the source list)" \
  --source-url "https://justice4iran.org/11278/" --accessed "$READ" \
  --quote "the authorities have poured concrete over more than half of the area"

# --- Rasht: Tazeh Abad ------------------------------------------------------------------------
gm add --name "Tazeh Abad cemetery" --name-fa "تازه‌آباد" --city "Rasht" --province Gilan \
  --location-note "Tazeh Abad cemetery (تازه‌آباد); three to four trenches of about 9 m" \
  --status built-upon --status-date 2008 \
  --status-note "New individual burial plots built on the site and sold, 2008 to 2016" \
  --source-publisher "Justice for Iran" --source-title "Justice for Iran page on Rasht (title not recorded in the source list)" \
  --source-url "https://justice4iran.org/11284/" --accessed "$READ" \
  --quote "Since 2008, the authorities have constructed new individual burial plots on top of the mass grave site and sold many of them." >/dev/null

# --- Qorveh -----------------------------------------------------------------------------------
gm add --name "Land next to the Baha'i cemetery" --city "Qorveh, Kurdistan" \
  --location-note "Land next to the Baha'i cemetery; families found and reburied more than 20 bodies in 1988" \
  --status bulldozed --status-date 2016-07 \
  --status-note "Gravestones and signs bulldozed; land declared agricultural" \
  --source-publisher "Justice for Iran" --source-title "Justice for Iran page on Qorveh (title not recorded in the source list)" \
  --source-url "https://justice4iran.org/11295/" --accessed "$READ" \
  --quote "In July 2016, the authorities bulldozed gravestones and commemorative sig[ns]" >/dev/null

# --- Sanandaj ---------------------------------------------------------------------------------
gm add --name "Former Revolutionary Court grounds, Municipality Square" --city "Sanandaj" --province Kurdistan \
  --location-note "Former Revolutionary Court grounds, Municipality Square" \
  --status built-upon --status-date 2003 \
  --status-note "Part of the sidewalk after conversion to commercial use" \
  --source-publisher "Justice for Iran (PainScapes)" --source-title "PainScapes page on Sanandaj (title not recorded in the source list)" \
  --source-url "https://painscapes.com/en/cities/138" --accessed "$READ" \
  --quote "the location of the mass grave is part of the sidewalk of Municipality Square" \
  --notes "Justice for Iran says the remains may date from the early 1980s or from 1988." >/dev/null

# --- Masjed Soleyman --------------------------------------------------------------------------
gm add --name "Near Tolbozan village" --city "Masjed Soleyman" --province Khuzestan \
  --location-note "Near Tolbozan village" \
  --status paved-over --status-date "$READ" \
  --status-note "A concreted area with five large bumps; no destruction reported. The source gives no date: dated by when it was read." \
  --source-publisher "Justice for Iran (PainScapes)" --source-title "PainScapes page on Masjed Soleyman (title not recorded in the source list)" \
  --source-url "https://painscapes.com/en/cities/148" --accessed "$READ" \
  --quote "a concreted area with five large bumps" >/dev/null

# --- Dezful: IRGC Quds Garrison ---------------------------------------------------------------
gm add --name "Scrapyard in the IRGC Quds Garrison" --city "Dezful" --province Khuzestan \
  --location-note "Scrapyard in the IRGC Quds Garrison, beside the Karkheh River" \
  --status unknown --status-date 2018-03-04 \
  --status-note "Suspected site inside a military compound" \
  --source-publisher "Justice for Iran (PainScapes)" --source-title "PainScapes page on Dezful (title not recorded in the source list)" \
  --source-url "https://painscapes.com/en/cities/710" --accessed "$READ" \
  --quote "likely to be the location of a mass grave" >/dev/null

# --- Urmia ------------------------------------------------------------------------------------
gm add --name "Near Bagh-e Rezvan cemetery" --city "Urmia" --province "West Azerbaijan" \
  --location-note "Near Bagh-e Rezvan cemetery" \
  --status unknown --status-date "$READ" \
  --status-note "The source gives no date: dated by when it was read." \
  --source-publisher "Justice for Iran (PainScapes)" --source-title "PainScapes page on Urmia (title not recorded in the source list)" \
  --source-url "https://painscapes.com/en/cities/199" --accessed "$READ" \
  --quote "freshly disturbed dirt and a number of large mounds" >/dev/null

# --- Shiraz: Dar al-Rahmeh --------------------------------------------------------------------
gm add --name "Dar al-Rahmeh cemetery, south-east end (\"Lanatabad\")" --name-fa "دارالرحمه" --city "Shiraz" --province Fars \
  --location-note "South-east end of Dar al-Rahmeh cemetery (دارالرحمه), called \"Lanatabad\"" \
  --status unknown --status-date 2018-03-09 \
  --status-note "Page dated 18 Esfand 1396 (9 March 2018)" \
  --source-publisher "Justice for Iran (PainScapes, in Persian)" --source-title "PainScapes page on Shiraz, in Persian (title not recorded in the source list)" \
  --source-url "https://painscapes.com/cities/790" --source-date 2018-03-09 --accessed "$READ" \
  --quote "در انتهای گورستان دارالرحمه شیراز، در قسمت جنوب شرقی" >/dev/null

# --- Babol: Baha'i and Jewish cemeteries (party-aligned source only) ---------------------------
gm add --name "Baha'i and Jewish cemeteries" --city "Babol" --province Mazandaran \
  --location-note "Baha'i and Jewish cemeteries" \
  --status built-upon --status-date 2023 \
  --status-note "Apartment buildings on part of the graves (reported 2023); party-aligned source only" \
  --source-publisher "Iran News Update (NCRI-aligned)" \
  --source-title "Iran News Update article (title not recorded in the source list)" \
  --source-url "https://irannewsupdate.com/news/human-rights/irans-regime-destroys-political-prisoners-graves-to-erase-its-crimes/" \
  --source-date 2023 --accessed "$READ" \
  --quote "Multi-story apartment buildings called Kotsar were constructed on a portion of these graves" >/dev/null

# --- Ahvaz: IRGC Darvish Garrison -------------------------------------------------------------
gm add --name "Entrance of the IRGC Darvish Garrison" --city "Ahvaz" --province Khuzestan \
  --location-note "Entrance of the IRGC Darvish Garrison; about 30 prisoners from Karun prison" \
  --status unknown --status-date "$READ" \
  --status-note "The source gives no date: dated by when it was read." \
  --source-publisher "Kurdistan Human Rights Association (KMMK)" \
  --source-title "KMMK article on the discovery of a mass grave in Ahvaz (title not recorded in the source list)" \
  --source-url "https://www.kmmk.info/en/1946/the-discovery-of-the-mass-grave-of-the-political-prisoners-of-the-eighties-in-ahvaz/" \
  --accessed "$READ" --quote "at the entrance to the Darvish Garrison" >/dev/null

# --- Sites named by the JVMI / NCRI (a party's own list): unknown, reported ----------------------
JVMI_URL="https://www.ncr-iran.org/en/news/human-rights/interactive-map-highlights-mass-graves-of-victims-of-iran-s-1988-massacre/"
jvmi() {  # jvmi NAME CITY PROVINCE [QUOTE]
  local quote=()
  [ $# -ge 4 ] && quote=(--quote "$4")
  gm add --name "$1" --city "$2" --province "$3" --location-note "$1" \
    --status unknown --status-date "$READ" \
    --status-note "Named in the JVMI's list of 1988 graves (JVMI says it traced 59); the source gives no date: dated by when it was read." \
    --source-publisher "NCRI / JVMI (Justice for the Victims of the 1988 Massacre in Iran), a party to the conflict" \
    --source-title "NCRI article on the JVMI's interactive map of 1988 mass graves (title not recorded in the source list)" \
    --source-url "$JVMI_URL" --accessed "$READ" "${quote[@]}" >/dev/null
}
jvmi "Behesht-e Zahra cemetery, blocks 93 and 103" "Tehran" "Tehran"
jvmi "Beneath the Abbas Abad–Kelardasht road" "Abbasabad" "Mazandaran"
jvmi "Seyed Nizamuddin shrine on Taleb Amoli St, next to the sports stadium" "Amol" "Mazandaran"
jvmi "Shahrak Shahab Nia and Darzikola Akhondi" "Babol" "Mazandaran"
jvmi "Physical training centre" "Minab" "Hormozgan" "at least 30 corpses"
jvmi "Ali Saleh shrine" "Saleh Abad" "Ilam"
jvmi "Off the Susangerd–Ahvaz highway, past Afagh village, near the Jihad cemetery" "Ahvaz" "Khuzestan"
jvmi "Near Roudband Square, Komeil St." "Dezful" "Khuzestan"

gm validate

/* Provisional ("sementara") results on the phone, for the offline hari buka.
   The method is the growth engine's (growth/zscores.py, growth/categories.py, growth/kms.py) and
   the rules those of apps/serviceday/rules.py; every number and label comes from the JSON the
   server exports (/offline/aturan.json: rules.json, the Permenkes cut-offs, the KBM table, the WHO
   LMS tables), never from this file. The server recomputes everything on sync. */
(function (root) {
  "use strict";
  var DAYS_PER_MONTH = 30.4375;
  var FLAGS = {wei: [-6, 5], len: [-6, 6], wfl: [-5, 5]};

  function parseDate(s) { var p = s.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function daysBetween(a, b) { return Math.round((parseDate(b) - parseDate(a)) / 86400000); }
  function ymd(s) { var p = s.split("-"); return {y: +p[0], m: +p[1], d: +p[2]}; }
  function completedMonths(birth, on) {
    var b = ymd(birth), o = ymd(on);
    var months = (o.y - b.y) * 12 + (o.m - b.m);
    return months - (o.d < b.d ? 1 : 0);
  }
  function ageYears(birth, on) {
    if (!birth) return null;
    var b = ymd(birth), o = ymd(on);
    return o.y - b.y - ((o.m < b.m || (o.m === b.m && o.d < b.d)) ? 1 : 0);
  }
  function monthIndex(s) { var p = ymd(s); return p.y * 12 + p.m - 1; }

  function lmsZ(y, L, M, S) { return L === 0 ? Math.log(y / M) / S : (Math.pow(y / M, L) - 1) / (S * L); }
  function lmsValue(L, M, S, z) { return L === 0 ? M * Math.exp(S * z) : M * Math.pow(1 + L * S * z, 1 / L); }
  function lmsRestricted(y, L, M, S) {
    var z = lmsZ(y, L, M, S), sd3, sd2;
    if (z > 3) { sd3 = lmsValue(L, M, S, 3); sd2 = lmsValue(L, M, S, 2); return 3 + (y - sd3) / (sd3 - sd2); }
    if (z < -3) { sd3 = lmsValue(L, M, S, -3); sd2 = lmsValue(L, M, S, -2); return -3 + (y - sd3) / (sd2 - sd3); }
    return z;
  }
  function roundZ(z) {
    if (z === null || !isFinite(z)) return null;
    var r = Math.floor(Math.abs(z) * 100 + 0.5) / 100;
    return (z < 0 ? -r : r) + 0;
  }
  function isFlagged(kind, z) { return z !== null && (z < FLAGS[kind][0] || z > FLAGS[kind][1]); }

  /* L, M, S at x on a table's grid: exact rows, or linear interpolation between them (_by_grid). */
  function lookup(table, sex, x, snap) {
    var pos = (x - table.start) / table.step, n = table.L[0].length;
    if (snap && Math.abs(pos - Math.round(pos)) < 1e-9) pos = Math.round(pos);
    if (!(pos >= 0 && pos <= n - 1)) return null;
    var lo = Math.floor(pos), hi = Math.min(lo + 1, n - 1), f = pos - lo, s = sex - 1;
    function at(a) { return a[s][lo] + f * (a[s][hi] - a[s][lo]); }
    return {L: at(table.L), M: at(table.M), S: at(table.S)};
  }

  function category(spec, z, months, oedema) {
    var inRange = months !== null ? (months >= spec.age_months[0] && months < spec.age_months[1])
                                  : spec.zscore === "zwfl";
    if (!inRange) return "";
    if (oedema && spec.oedema) {
      for (var i = 0; i < spec.categories.length; i++) if (spec.categories[i].code === spec.oedema) return spec.categories[i].label;
    }
    if (z === null) return "";
    var found = "";
    spec.categories.forEach(function (c) {
      var ok = true;
      if (c.lower !== null && c.lower !== undefined) ok = ok && (c.lower_inclusive ? z >= c.lower : z > c.lower);
      if (c.upper !== null && c.upper !== undefined) ok = ok && (c.upper_inclusive ? z <= c.upper : z < c.upper);
      if (ok) found = c.label;
    });
    return found;
  }

  /* WAZ, L/HAZ and WHZ of a child under 60 months with their Permenkes labels (below 60 months
     only: older children are scored against the 2007 reference by the server). */
  function scoreChild(data, person, visit) {
    var out = {};
    if (!person.birth_date) return out;
    var days = daysBetween(person.birth_date, visit.date);
    if (days < 0) return out;
    var months = days / DAYS_PER_MONTH;
    if (months >= 60) return out;
    var sex = person.sex === "L" ? 1 : 2, lms = data.lms, w = visit.weight_kg, h = visit.height_cm;
    var measure = visit.position || "";
    if (measure === "h" && months < 9) measure = "";  // standing under 9 months: position ignored (anthro 1.1)
    var clenhei = null;
    if (h) {
      var adjust = 0;
      if (days < 731 && measure === "h") adjust = 0.7;
      if (days >= 731 && measure === "l") adjust = -0.7;
      clenhei = h + adjust;
    }
    var oedema = !!visit.oedema, p;
    if (w && !oedema && (p = lookup(lms.weianthro, sex, days, false))) out.zwei = roundZ(lmsRestricted(w, p.L, p.M, p.S));
    if (clenhei && (p = lookup(lms.lenanthro, sex, days, false))) out.zlen = roundZ(lmsZ(clenhei, p.L, p.M, p.S));
    if (w && clenhei && !oedema) {
      var table = days < 731 ? lms.wflanthro : lms.wfhanthro;
      if ((p = lookup(table, sex, clenhei, true))) out.zwfl = roundZ(lmsRestricted(w, p.L, p.M, p.S));
    }
    ["zwei", "zlen", "zwfl"].forEach(function (k) { if (out[k] === undefined) out[k] = null; });
    out.z_flagged = isFlagged("wei", out.zwei) || isFlagged("len", out.zlen) || isFlagged("wfl", out.zwfl);
    var idx = data.permenkes.indices;
    out.bb_u = category(idx.bb_u, out.zwei, months, oedema);
    out.tb_u = category(idx.pb_tb_u, out.zlen, months, oedema);
    out.bb_tb = category(idx.bb_pb_tb, out.zwfl, months, oedema);
    return out;
  }

  function kbmFor(data, ageMonths) {
    if (ageMonths === null || ageMonths < 0 || ageMonths > 60) return null;
    var k = data.kbm[String(ageMonths)];
    if (k !== undefined) return k;
    var keys = Object.keys(data.kbm).map(Number), min = Math.min.apply(null, keys);
    return ageMonths < min ? data.kbm[String(min)] : null;
  }

  /* N/T/O/B, 2T and BGM of today's weighing against the last weighing of the calendar month before
     (growth/kms.py), from the weighings the server sent for this child. */
  function kms(data, person, visit, zwei) {
    if (!visit.weight_kg || !person.birth_date) return {};
    var age = completedMonths(person.birth_date, visit.date);
    if (age > 60) return {};
    var out = {bgm: zwei !== null && zwei !== undefined && zwei < -3, two_t: false};
    var today = monthIndex(visit.date);
    var before = (person.kms_previous_month || []).filter(function (w) { return monthIndex(w.date) === today - 1; });
    if (!person.weighed_before) { out.kms_status = "B"; return out; }
    if (!before.length) { out.kms_status = "O"; return out; }
    var prev = before[before.length - 1], kbm = kbmFor(data, age);
    var gain = Math.round((visit.weight_kg - prev.weight_kg) * 1000);
    out.gain_g = gain;
    if (kbm === null) { out.kms_status = ""; return out; }
    out.kms_status = gain >= kbm ? "N" : "T";
    out.two_t = out.kms_status === "T" && prev.kms_status === "T";
    return out;
  }

  function num(v) { if (v === "" || v === null || v === undefined) return null; var n = parseFloat(String(v).replace(",", ".")); return isFinite(n) ? n : null; }

  /* Every result the phone can give, and the referral proposals (rules.referral_reasons). */
  function assess(data, person, fields, day) {
    var r = data.rules, v = {date: day, weight_kg: num(fields.weight_kg), height_cm: num(fields.height_cm),
      position: fields.position || "", oedema: !!fields.oedema};
    var months = person.birth_date ? completedMonths(person.birth_date, day) : null;
    var res = scoreChild(data, person, v);
    if (months !== null && months < 60) Object.assign(res, kms(data, person, v, res.zwei));
    var muac = num(fields.muac_cm), sys = num(fields.systolic), dia = num(fields.diastolic);
    var glucose = num(fields.glucose_mg_dl), hb = num(fields.hb_g_dl), waist = num(fields.waist_cm);
    var adult = months === null || months >= 228, stage = person.stage;
    if (v.weight_kg && v.height_cm && adult) {
      res.bmi = Math.round(v.weight_kg / Math.pow(v.height_cm / 100, 2) * 10) / 10;
      res.bmi_category = "";
      for (var i = 0; i < r.adult_bmi.bands.length; i++) {
        var b = r.adult_bmi.bands[i];
        if (("below" in b && res.bmi < b.below) || ("at_most" in b && res.bmi <= b.at_most) || (!("below" in b) && !("at_most" in b))) { res.bmi_category = b.label; break; }
      }
    }
    if (months === null || months >= 180 || stage === "ibu_hamil" || stage === "ibu_nifas") {
      if (person.sex === "P" && muac !== null) res.kek = muac < r.kek.lila_below_cm;
      if (sys !== null || dia !== null) res.hypertension = (sys || 0) >= r.hypertension.systolic_at_least || (dia || 0) >= r.hypertension.diastolic_at_least;
      if (glucose !== null) res.glucose_status = glucose > r.glucose.high_above ? "tinggi" : glucose < r.glucose.low_below ? "rendah" : "normal";
      if (waist !== null) res.central_obesity = waist > (person.sex === "L" ? r.central_obesity.male_above_cm : r.central_obesity.female_above_cm);
    }
    if (hb !== null && months !== null) {
      var a = r.anaemia, cut = null;
      if (stage === "ibu_hamil") cut = a.pregnant_below;
      else if (months < 6) cut = null;
      else if (months < 60) cut = a.child_6_59_months_below;
      else if (months < 144) cut = a.child_5_11_years_below;
      else if (months < 180) cut = a.child_12_14_years_below;
      else cut = person.sex === "P" ? a.women_15_plus_below : a.men_15_plus_below;
      if (cut !== null) res.anaemia = hb < cut;
    }
    var mc = r.muac_child;
    if (muac !== null && months !== null && months >= mc.from_months && months < mc.to_months) res.muac_red = muac < mc.red_below_cm;
    var adl = num(fields.adl_score);
    if (stage === "lansia" && adl !== null) res.dependent = adl < r.adl.dependent_below;
    res.reasons = reasons(data, res, fields);
    return res;
  }

  function tbcCount(fields, res) {
    function yn(name) { var x = fields[name]; return x === "1" ? true : x === "0" ? false : null; }
    var cough = yn("tbc_cough"), fever = yn("tbc_fever"), weight = yn("tbc_weight"), contact = yn("tbc_contact");
    if (cough === null && fever === null && weight === null && contact === null) return null;
    if (res.two_t) weight = true; else if (res.kms_status === "N") weight = false;
    return [cough, fever, weight, contact].filter(Boolean).length;
  }

  function reasons(data, res, fields) {
    var r = data.rules, out = [];
    if (res.two_t) out.push("2T"); else if (res.kms_status === "T") out.push("T");
    if (res.bgm) out.push("BGM");
    if (res.bb_tb === "gizi buruk") out.push("gizi_buruk");
    if (res.bb_tb === "gizi kurang") out.push("gizi_kurang");
    if (r.overweight.bb_tb_labels.indexOf(res.bb_tb) >= 0) out.push("gizi_lebih");
    else if (!res.bb_tb && r.overweight.bb_u_labels_without_bb_tb.indexOf(res.bb_u) >= 0) out.push("risiko_bb_lebih");
    if (res.tb_u === "pendek" || res.tb_u === "sangat pendek") out.push("stunting");
    if (res.muac_red) out.push("lila_merah");
    if (res.kek) out.push("kek");
    if (res.hypertension) out.push("hipertensi");
    if (res.glucose_status === "tinggi") out.push("gula_tinggi");
    if (res.glucose_status === "rendah") out.push("gula_rendah");
    if (res.anaemia) out.push("anemia");
    var tbc = tbcCount(fields, res);
    if (tbc !== null && tbc >= r.tbc_screening.refer_at_least) out.push("tbc");
    if (fields.development && r.development.refer_when.indexOf(fields.development) >= 0) out.push("perkembangan");
    if (fields.danger_signs && fields.danger_signs.length) out.push("tanda_bahaya");
    if (res.dependent) out.push("ketergantungan");
    return out;
  }

  function reasonLabel(data, code) { return data.rules.referral_triggers.codes[code] || code; }

  /* Values outside 'possible' refused, outside 'usual' to confirm (rules.check_plausible). */
  function plausibility(data, person, fields, day) {
    var months = person.birth_date ? completedMonths(person.birth_date, day) : null;
    var band = months === null || months >= 228 ? "adult" : months < 60 ? "child" : "school";
    var errors = {}, warnings = {};
    Object.keys(data.rules.plausible).forEach(function (name) {
      var limits = data.rules.plausible[name], value = num(fields[name]);
      if (name.charAt(0) === "_" || value === null) return;
      var label = data.labels[name] || name, shown = String(value).replace(".", ",");
      if (value < limits.possible[0] || value > limits.possible[1]) {
        errors[name] = label + " " + shown + " tidak mungkin (batas " + String(limits.possible[0]).replace(".", ",") + "–" + String(limits.possible[1]).replace(".", ",") + ").";
        return;
      }
      var usual = limits.usual || limits["usual_" + band] || limits.usual_adult;
      if (usual && (value < usual[0] || value > usual[1])) warnings[name] = label + " " + shown + " tidak biasa: periksa ulang lalu centang konfirmasi.";
    });
    return {errors: errors, warnings: warnings};
  }

  root.PosyanduGrowth = {assess: assess, plausibility: plausibility, reasonLabel: reasonLabel,
                         completedMonths: completedMonths, ageYears: ageYears, scoreChild: scoreChild};
})(window);

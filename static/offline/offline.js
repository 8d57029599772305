/* The offline hari buka (apps/offline): the roster and the visit forms work with no signal; what
   the kader saves waits in IndexedDB, each record with its own UUID, until the server takes it.
   Plain JavaScript, no build step. The conflict rules are in docs/offline.md. */
(function () {
  "use strict";
  var root = document.getElementById("luring");
  if (!root) return;
  var cfg = root.dataset, G = window.PosyanduGrowth;
  var POSYANDU = Number(cfg.posyandu), OWNER = cfg.user, BATCH = 4;
  var PAGE_CACHE = "posyandu-luring-halaman";
  var state = {day: null, rules: null, queue: [], editing: null, syncing: false, person: null};
  var $ = function (id) { return document.getElementById(id); };

  /* --- IndexedDB: the queue (one row per record, keyed by its UUID) and the day's data --- */
  var dbReady = new Promise(function (resolve, reject) {
    var req = indexedDB.open("posyandu-luring", 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore("queue", {keyPath: "uuid"});
      req.result.createObjectStore("kv");
    };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });
  function store(name, mode, work) {
    return dbReady.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(name, mode), req = work(t.objectStore(name));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }
  var kvGet = function (k) { return store("kv", "readonly", function (s) { return s.get(k); }); };
  var kvSet = function (k, v) { return store("kv", "readwrite", function (s) { return s.put(v, k); }); };
  var putRecord = function (r) { return store("queue", "readwrite", function (s) { return s.put(r); }); };
  function loadQueue() {
    return store("queue", "readonly", function (s) { return s.getAll(); }).then(function (rows) {
      // Only this user's records of this Posyandu: a shared phone never sends another kader's data.
      state.queue = (rows || []).filter(function (r) { return r.posyandu === POSYANDU && r.owner === OWNER; })
        .sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
    });
  }
  var DAY_KEY = "hari:" + POSYANDU + ":" + OWNER;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h.push((b[i] + 256).toString(16).slice(1));
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }
  function esc(s) { return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : cfg.csrf;
  }
  function fmtDate(s) { if (!s) return "-"; var p = s.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }

  /* --- People on the roster, and those registered on this phone --- */
  function stageOf(birth, day) {
    var months = G.completedMonths(birth, day), bands = state.rules.rules.life_stages.bands;
    for (var i = 0; i < bands.length; i++) {
      var b = bands[i];
      if (months >= b.from_months && (b.to_months === null || months < b.to_months)) return b;
    }
    return {code: "", label: "-"};
  }
  function groupOf(stage) {
    if (["bayi", "balita", "prasekolah"].indexOf(stage) >= 0) return "child";
    if (stage === "ibu_hamil" || stage === "ibu_nifas") return "ibu";
    if (stage === "remaja" || stage === "lansia") return stage;
    return "adult";
  }
  function newPersonEntry(rec) {
    var d = rec.data, band = stageOf(d.birth_date, state.day.date), group = groupOf(band.code);
    var age = G.ageYears(d.birth_date, state.day.date), wus = state.rules.rules.wus;
    var serverId = rec.server && rec.server.id;
    return {key: serverId ? "p" + serverId : "u" + rec.uuid, id: serverId || null, uuid: serverId ? null : rec.uuid,
      name: d.name, sex: d.sex, birth_date: d.birth_date, stage: band.code, stage_label: band.label, group: group,
      wus: d.sex === "P" && age !== null && age >= wus.age_from_years && age <= wus.age_to_years,
      asks_puma: (group === "adult" || group === "lansia") && age !== null && age >= state.rules.rules.puma.age_from_years,
      vaccines: group === "child" ? childVaccines() : [], due: [], last: null, weighed_before: false,
      kms_previous_month: [], isNew: true, record: rec};
  }
  function childVaccines() {
    var f = state.rules.form.fields.vaccines;
    return (f && f.choices) || [];
  }
  function people() {
    var list = (state.day ? state.day.persons : []).map(function (p) { return Object.assign({key: "p" + p.id}, p); });
    var known = {};
    list.forEach(function (p) { known[p.key] = true; });
    state.queue.forEach(function (r) {
      if (r.kind === "person" && r.status !== "digabung") {
        var e = newPersonEntry(r);
        if (!known[e.key]) { list.push(e); known[e.key] = true; }
      }
    });
    return list;
  }
  function visitRecordFor(p) {
    var found = null;
    state.queue.forEach(function (r) {
      if (r.kind === "visit" && r.data.date === state.day.date &&
          ((p.id && r.data.person === p.id) || (p.uuid && r.data.person_uuid === p.uuid) ||
           (p.isNew && p.record && r.data.person_uuid === p.record.uuid))) found = r;
    });
    return found;
  }

  /* --- Rendering --- */
  var STATUS = {menunggu: ["Menunggu", "warning"], terkirim: ["Terkirim", "success"], ditolak: ["Ditolak", "danger"],
                digantikan: ["Diterima, versi lain dipakai", "secondary"], digabung: ["Digabung", "secondary"]};
  function badge(status) { var s = STATUS[status] || [status, "secondary"]; return '<span class="badge text-bg-' + s[1] + '">' + s[0] + "</span>"; }

  function renderNet() {
    var online = navigator.onLine, el = $("net");
    el.textContent = online ? "Daring" : "Luring";
    el.className = "badge text-bg-" + (online ? "success" : "secondary");
  }
  function counts() {
    var c = {menunggu: 0, ditolak: 0, terkirim: 0};
    state.queue.forEach(function (r) {
      if (r.status === "menunggu") c.menunggu++;
      else if (r.status === "ditolak") c.ditolak++;
      else c.terkirim++;
    });
    return c;
  }
  function render() {
    renderNet();
    if (!state.day) return;
    $("day-info").textContent = "Hari buka " + fmtDate(state.day.date) + " · " + state.day.persons.length +
      " orang di daftar · data diambil " + (state.day.fetched_at ? new Date(state.day.fetched_at).toLocaleString("id-ID") : "-");
    var c = counts();
    $("queue-summary").textContent = "Menunggu: " + c.menunggu + " · Ditolak: " + c.ditolak + " · Terkirim: " + c.terkirim;
    var q = ($("search").value || "").trim().toLowerCase(), html = [];
    people().forEach(function (p) {
      if (q && p.name.toLowerCase().indexOf(q) < 0) return;
      var rec = visitRecordFor(p), info = [esc(p.stage_label)];
      if (p.last) info.push("terakhir " + fmtDate(p.last.date) + " " + String(p.last.weight_kg).replace(".", ",") + " kg");
      if (p.due && p.due.length) info.push("imunisasi: " + p.due.map(function (d) { return esc(d.label); }).join(", "));
      if (p.isNew) info.push("orang baru");
      html.push('<button type="button" class="list-group-item list-group-item-action d-flex justify-content-between align-items-start gap-2" data-person="' +
        esc(p.key) + '"><span><span class="fw-semibold">' + esc(p.name) + '</span><br><span class="small text-muted">' + info.join(" · ") +
        "</span></span>" + (rec ? badge(rec.status) : p.today_visit && p.today_visit.measured ? '<span class="badge text-bg-light">Sudah dicatat</span>' : "") + "</button>");
    });
    $("roster").innerHTML = html.join("") || '<div class="list-group-item text-muted">Tidak ada orang.</div>';
    var rows = state.queue.slice().reverse().map(function (r) {
      var res = r.server && (r.status === "terkirim" || r.status === "digantikan") ? resultText(r.server, false) :
        r.provisional ? resultText(r.provisional, true) : "";
      var actions = "";
      if (r.status === "ditolak" || r.status === "menunggu") {
        actions += '<button type="button" class="btn btn-sm btn-outline-primary" data-edit="' + r.uuid + '">Perbaiki</button> ';
      }
      if (r.status === "ditolak") actions += '<button type="button" class="btn btn-sm btn-outline-success" data-resend="' + r.uuid + '">Kirim ulang</button> ';
      (r.candidates || []).forEach(function (cand) {
        actions += '<button type="button" class="btn btn-sm btn-outline-secondary" data-merge="' + r.uuid + '" data-into="' + cand.id +
          '">Orang yang sama: ' + esc(cand.name) + "</button> ";
      });
      return '<div class="list-group-item small" data-uuid="' + r.uuid + '" data-status="' + r.status + '"><div class="d-flex justify-content-between gap-2"><span class="fw-semibold">' +
        esc(r.label) + "</span>" + badge(r.status) + "</div>" + (r.message ? '<div class="' + (r.status === "ditolak" ? "text-danger" : "text-muted") +
        '" data-message>' + esc(r.message) + "</div>" : "") + (res ? "<div>" + res + "</div>" : "") + (actions ? '<div class="mt-1">' + actions + "</div>" : "") + "</div>";
    });
    $("queue").innerHTML = rows.join("") || '<div class="list-group-item small text-muted">Belum ada yang dicatat di ponsel ini.</div>';
  }

  function resultText(res, provisional) {
    var parts = [];
    if (res.bb_u) parts.push("BB/U: " + esc(res.bb_u));
    if (res.tb_u) parts.push("TB/U: " + esc(res.tb_u));
    if (res.bb_tb) parts.push("BB/TB: " + esc(res.bb_tb));
    if (res.kms_status) parts.push("KMS: " + esc(res.kms_status) + (res.two_t ? " (2T)" : ""));
    if (res.bgm) parts.push("BGM");
    if (res.bmi) parts.push("IMT " + String(res.bmi).replace(".", ",") + (res.bmi_category ? " (" + esc(res.bmi_category) + ")" : ""));
    if (res.kek) parts.push("KEK");
    if (res.hypertension) parts.push("hipertensi");
    if (res.anaemia) parts.push("anemia");
    var reasons = provisional ? (res.reasons || []).map(function (c) { return G.reasonLabel(state.rules, c); }) : (res.referral_labels || []);
    if (reasons.length) parts.push('<span class="text-danger">Usulan rujukan: ' + reasons.map(esc).join(", ") + "</span>");
    if (!parts.length) return "";
    return (provisional ? '<span class="badge text-bg-warning">sementara</span> ' : '<span class="badge text-bg-success">hasil server</span> ') +
      '<span data-result="' + (provisional ? "sementara" : "server") + '">' + parts.join(" · ") + "</span>";
  }

  function show(view) {
    ["view-roster", "view-form", "view-person"].forEach(function (id) { $(id).hidden = id !== view; });
    window.scrollTo(0, 0);
  }

  /* --- The visit form of the person's target group (fields and labels from the online form) --- */
  function fieldNames(p) {
    var f = state.rules.form, names = f.stage_fields[p.group].slice();
    if (p.vaccines && p.vaccines.length) names.push("vaccines");
    if (p.wus && p.stage !== "ibu_hamil") names = names.concat(f.wus_fields);
    names = names.concat(f.tbc_fields);
    if (p.asks_puma) names = names.concat(f.puma_fields);
    return names.concat(f.common);
  }
  function inputFor(name, spec, value, p) {
    var id = "f-" + name, label = '<label class="form-label small mb-0" for="' + id + '">' + esc(spec.label) + "</label>";
    var v = value === undefined || value === null ? "" : value, opts;
    var show = state.rules.form.puma_fields.indexOf(name) >= 0 ? ' data-show-when="smoker:1"' : "";
    switch (spec.kind) {
      case "bool":
        return '<div class="col-12"' + show + '><div class="form-check"><input class="form-check-input" type="checkbox" id="' + id + '" name="' + name + '"' +
          (v ? " checked" : "") + '><label class="form-check-label small" for="' + id + '">' + esc(spec.label) + "</label></div></div>";
      case "nullbool":
        opts = [["", "—"], ["1", "Ya"], ["0", "Tidak"]];
        return '<div class="col-6"' + show + ">" + label + '<select class="form-select" id="' + id + '" name="' + name + '">' +
          opts.map(function (o) { return '<option value="' + o[0] + '"' + (String(v) === o[0] ? " selected" : "") + ">" + o[1] + "</option>"; }).join("") + "</select></div>";
      case "choice":
        return '<div class="col-12"' + show + ">" + label + '<select class="form-select" id="' + id + '" name="' + name + '"><option value="">—</option>' +
          spec.choices.map(function (o) { return '<option value="' + esc(o[0]) + '"' + (String(v) === o[0] ? " selected" : "") + ">" + esc(o[1]) + "</option>"; }).join("") + "</select></div>";
      case "multi":
        var choices = name === "vaccines" ? p.vaccines : spec.choices, chosen = Array.isArray(v) ? v : [];
        return '<fieldset class="col-12"><legend class="form-label small mb-0">' + esc(name === "vaccines" ? "Imunisasi diberikan hari ini" : spec.label) + "</legend>" +
          choices.map(function (o, i) {
            return '<div class="form-check"><input class="form-check-input" type="checkbox" name="' + name + '" id="' + id + "-" + i + '" value="' + esc(o[0]) + '"' +
              (chosen.indexOf(o[0]) >= 0 ? " checked" : "") + '><label class="form-check-label small" for="' + id + "-" + i + '">' + esc(o[1]) + "</label></div>";
          }).join("") + "</fieldset>";
      case "text":
        return '<div class="col-12">' + label + '<textarea class="form-control" rows="2" id="' + id + '" name="' + name + '">' + esc(v) + "</textarea></div>";
      default:
        var mode = spec.kind === "decimal" ? "decimal" : spec.kind === "int" ? "numeric" : "text";
        return '<div class="col-6"' + show + ">" + label + '<input class="form-control" id="' + id + '" name="' + name + '" inputmode="' + mode + '" value="' + esc(v) + '"></div>';
    }
  }
  function collect(form) {
    var out = {};
    fieldNames(state.person).forEach(function (name) {
      var spec = state.rules.form.fields[name] || {kind: "string"};
      if (spec.kind === "multi") {
        out[name] = Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (el) { return el.value; });
      } else if (spec.kind === "bool") {
        var box = form.querySelector('[name="' + name + '"]');
        out[name] = !!(box && box.checked);
      } else {
        var el = form.querySelector('[name="' + name + '"]');
        var val = el ? el.value.trim() : "";
        if (state.rules.form.decimal_fields.indexOf(name) >= 0) val = val.replace(",", ".");
        var hidden = el && el.closest("[data-show-when]") && el.closest("[data-show-when]").hidden;
        out[name] = hidden ? "" : val;  // the PUMA questionnaire is for smokers only, as online
      }
    });
    return out;
  }
  function updateShowWhen(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when").split(":"), src = form.querySelector('[name="' + rule[0] + '"]');
      el.hidden = src ? rule[1].split(",").indexOf(src.value) < 0 : false;
    });
  }
  function openVisit(p, rec) {
    state.person = p;
    state.editing = rec || visitRecordFor(p) || null;
    var values = state.editing ? state.editing.data.fields : {};
    $("form-title").textContent = p.name;
    var bits = [p.stage_label, p.sex === "L" ? "laki-laki" : "perempuan", "lahir " + fmtDate(p.birth_date)];
    if (p.last) bits.push("penimbangan terakhir " + fmtDate(p.last.date) + ": " + String(p.last.weight_kg).replace(".", ",") + " kg");
    $("form-subtitle").textContent = bits.join(" · ");
    $("form-error").hidden = true;
    $("form-fields").innerHTML = fieldNames(p).map(function (name) {
      return inputFor(name, state.rules.form.fields[name] || {label: name, kind: "string"}, values[name], p);
    }).join("");
    updateShowWhen($("visit-form"));
    provisional();
    show("view-form");
  }
  function provisional() {
    var fields = collect($("visit-form"));
    var res = G.assess(state.rules, state.person, fields, state.day.date);
    $("provisional").innerHTML = resultText(res, true) || "Isi pengukuran untuk melihat hasil.";
    return {fields: fields, result: res};
  }
  function saveVisit(ev) {
    ev.preventDefault();
    var now = provisional(), p = state.person, check = G.plausibility(state.rules, p, now.fields, state.day.date);
    var problems = Object.keys(check.errors).map(function (k) { return check.errors[k]; });
    if (!now.fields.confirmed_unusual) problems = problems.concat(Object.keys(check.warnings).map(function (k) { return check.warnings[k]; }));
    if (problems.length) {
      $("form-error").textContent = problems.join(" ");
      $("form-error").hidden = false;
      return;
    }
    var old = state.editing, keep = old && (old.status === "ditolak" || (old.status === "menunggu" && !old.sent));
    // A record the server may already hold (sent, no answer yet, or accepted) is edited under a new
    // UUID: the server then applies the later edit instead of replaying the first answer.
    var rec = {uuid: keep ? old.uuid : uuid4(), kind: "visit", posyandu: POSYANDU, owner: OWNER,
      saved_at: new Date().toISOString(), status: "menunggu", message: "", sent: false,
      label: p.name + " · kunjungan " + fmtDate(state.day.date),
      data: {date: state.day.date, person: p.id || null, person_uuid: p.id ? null : (p.uuid || (p.record && p.record.uuid)), fields: now.fields},
      provisional: now.result};
    var work = old && !keep && old.status === "menunggu" ? store("queue", "readwrite", function (s) { return s.delete(old.uuid); }) : Promise.resolve();
    work.then(function () { return putRecord(rec); }).then(loadQueue).then(function () {
      show("view-roster"); render(); trySync();
    });
  }

  /* --- New person --- */
  function openPerson(rec) {
    state.editing = rec || null;
    var f = $("person-form"), d = rec ? rec.data : {};
    f.reset();
    $("p-mother").innerHTML = '<option value="">—</option>' + (state.day.mothers || []).map(function (m) {
      return '<option value="' + m.id + '">' + esc(m.name) + "</option>";
    }).join("");
    ["name", "sex", "birth_date", "nik", "mother"].forEach(function (k) { if (d[k]) f.elements[k].value = d[k]; });
    $("p-dup").checked = !!d.not_a_duplicate;
    $("p-dup-box").hidden = !(rec && rec.candidates !== undefined);
    $("person-error").textContent = rec && rec.status === "ditolak" ? rec.message : "";
    $("person-error").hidden = !(rec && rec.status === "ditolak");
    show("view-person");
  }
  function savePerson(ev) {
    ev.preventDefault();
    var f = ev.target, d = {name: f.elements.name.value.trim(), sex: f.elements.sex.value, birth_date: f.elements.birth_date.value,
      nik: f.elements.nik.value.trim(), mother: f.elements.mother.value ? Number(f.elements.mother.value) : null,
      not_a_duplicate: $("p-dup").checked};
    var missing = [];
    if (!d.name) missing.push("nama");
    if (!d.sex) missing.push("jenis kelamin");
    if (!d.birth_date) missing.push("tanggal lahir");
    if (missing.length) { $("person-error").textContent = "Isi " + missing.join(", ") + "."; $("person-error").hidden = false; return; }
    if (d.birth_date > state.day.date) { $("person-error").textContent = "Tanggal lahir tidak boleh di masa depan."; $("person-error").hidden = false; return; }
    if (d.nik && !/^\d{16}$/.test(d.nik)) { $("person-error").textContent = "NIK harus 16 angka."; $("person-error").hidden = false; return; }
    var old = state.editing;
    var rec = {uuid: old ? old.uuid : uuid4(), kind: "person", posyandu: POSYANDU, owner: OWNER, saved_at: new Date().toISOString(),
      status: "menunggu", message: "", sent: old ? old.sent : false, label: d.name + " · orang baru", data: d};
    putRecord(rec).then(loadQueue).then(function () { show("view-roster"); render(); trySync(); });
  }

  /* --- Sync: persons first, a few records per request (2G), every answer kept per UUID --- */
  function setSyncStatus(text) { $("sync-status").textContent = text; }
  function applyResult(rec, res) {
    rec.message = res.message || "";
    if (res.status === "diterima" || res.status === "digantikan") {
      rec.status = res.status === "diterima" ? "terkirim" : "digantikan";
      rec.server = res.result || {};
      delete rec.candidates;
    } else if (res.retry) {
      rec.status = "menunggu";  // waits for its person; sent again next time
    } else {
      rec.status = "ditolak";
      rec.errors = res.errors || {};
      if (rec.kind === "person") rec.candidates = res.candidates || [];
    }
    return putRecord(rec);
  }
  function wire(r) { return {uuid: r.uuid, kind: r.kind, saved_at: r.saved_at, data: r.data}; }
  function sync() {
    if (state.syncing) return Promise.resolve();
    var pending = state.queue.filter(function (r) { return r.status === "menunggu"; })
      .sort(function (a, b) { return (a.kind === "person" ? 0 : 1) - (b.kind === "person" ? 0 : 1); });
    if (!pending.length) { setSyncStatus("Tidak ada yang menunggu."); return Promise.resolve(); }
    state.syncing = true;
    root.dataset.syncing = "1";
    var sent = 0, accepted = 0, batches = [];
    for (var i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH));
    setSyncStatus("Mengirim " + pending.length + " rekaman…");
    var chain = Promise.resolve(true);
    batches.forEach(function (batch) {
      chain = chain.then(function (go) {
        if (!go) return false;
        batch.forEach(function (r) { r.sent = true; });
        return Promise.all(batch.map(putRecord)).then(function () {
          return fetch(cfg.syncUrl, {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json",
            "X-CSRFToken": csrf(), "Accept": "application/json"}, body: JSON.stringify({records: batch.map(wire)})});
        }).then(function (resp) {
          var type = resp.headers.get("Content-Type") || "";
          if (resp.redirected || type.indexOf("application/json") < 0) {
            setSyncStatus("Sesi login berakhir atau server tidak menjawab dengan benar: masuk lagi, lalu tekan Sinkronkan. Data tetap di ponsel.");
            return false;
          }
          return resp.json().then(function (body) {
            if (!resp.ok) { setSyncStatus((body && body.message) || ("Server menolak kiriman (" + resp.status + ").")); return false; }
            var byId = {};
            batch.forEach(function (r) { byId[r.uuid] = r; });
            return Promise.all((body.results || []).map(function (res) {
              var rec = byId[res.uuid];
              if (!rec) return null;
              sent++;
              if (res.status !== "ditolak") accepted++;
              return applyResult(rec, res);
            })).then(function () { return true; });
          });
        }, function () {
          setSyncStatus("Koneksi terputus saat mengirim; data tetap di ponsel dan dikirim lagi saat ada sinyal.");
          return false;
        });
      });
    });
    return chain.then(function (done) {
      return loadQueue().then(function () {
        var c = counts();
        if (done) setSyncStatus("Sinkron selesai: " + accepted + " diterima, " + (sent - accepted) + " ditolak, " + c.menunggu + " masih menunggu.");
        state.syncing = false;
        root.dataset.syncing = "";
        root.dataset.lastSync = String(Date.now());
        render();
        if (accepted) refreshDay();
      });
    }, function (err) {
      state.syncing = false; root.dataset.syncing = "";
      setSyncStatus("Sinkron gagal: " + err + ". Data tetap di ponsel.");
    });
  }
  function trySync() { if (navigator.onLine) sync(); }

  /* --- Loading: the phone's copy first, then the server's when there is a signal --- */
  function fetchJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (resp) {
      if (!resp.ok || resp.redirected || (resp.headers.get("Content-Type") || "").indexOf("json") < 0) throw new Error("HTTP " + resp.status);
      return resp.json();
    });
  }
  function refreshDay() {
    return fetchJson(cfg.dataUrl).then(function (day) {
      day.fetched_at = Date.now();
      state.day = day;
      return kvSet(DAY_KEY, day);
    }).then(render, function () { /* no signal: keep the phone's copy */ });
  }
  function refreshRules() {
    return fetchJson(cfg.rulesUrl).then(function (rules) {
      state.rules = rules;
      return kvSet("aturan", rules);
    });
  }
  function cachePage() {
    // The first visit happened before the service worker ran: keep this page for offline reloads.
    if (!window.caches) return Promise.resolve();
    return caches.open(PAGE_CACHE).then(function (cache) {
      return fetch(location.pathname, {credentials: "same-origin"}).then(function (resp) {
        if (resp.ok && !resp.redirected) return cache.put(location.pathname, resp);
      });
    }).catch(function () {});
  }
  var pageLoaded = new Promise(function (resolve) {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", function () { resolve(); }, {once: true});
  });
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return Promise.resolve();
    // After the load event: the worker's precache then finds the page's files in the HTTP cache
    // (hashed names) instead of downloading them a second time while the page still loads them.
    return pageLoaded.then(function () {
      return navigator.serviceWorker.register(cfg.swUrl, {scope: "/offline/"});
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).catch(function () {});
  }
  function loadMenuScript() {
    // Bootstrap's script only opens the menu and closes alerts: not needed to paint the day.
    if (window.bootstrap || !cfg.menuScript) return;
    var el = document.createElement("script");
    el.src = cfg.menuScript;
    document.body.appendChild(el);
  }

  function start() {
    var worker = registerWorker();
    Promise.all([loadQueue(), kvGet(DAY_KEY), kvGet("aturan")]).then(function (got) {
      state.day = got[1] || null;
      state.rules = got[2] || null;
      if (state.rules && state.day) render();
      if (!navigator.onLine) return;
      // The rules (58 KB) only when the server's version differs from the phone's copy.
      var rules = state.rules && state.rules.version === cfg.rulesVersion ? null : refreshRules();
      return Promise.all([rules, refreshDay(), cachePage()]).catch(function () {});
    }).then(function () {
      if (!state.day || !state.rules) {
        $("day-info").textContent = "Data hari buka belum tersimpan di ponsel: buka halaman ini sekali saat ada sinyal.";
        return;
      }
      render();
      return worker.then(function () {
        root.dataset.ready = "1";
        pageLoaded.then(loadMenuScript);
        trySync();
      });
    });
  }

  /* --- Events --- */
  $("roster").addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-person]");
    if (!btn) return;
    var key = btn.getAttribute("data-person"), p = people().filter(function (x) { return x.key === key; })[0];
    if (p) openVisit(p);
  });
  $("queue").addEventListener("click", function (ev) {
    var edit = ev.target.closest("[data-edit]"), resend = ev.target.closest("[data-resend]"), merge = ev.target.closest("[data-merge]");
    var find = function (u) { return state.queue.filter(function (r) { return r.uuid === u; })[0]; };
    if (edit) {
      var rec = find(edit.getAttribute("data-edit"));
      if (rec.kind === "person") return openPerson(rec);
      var p = people().filter(function (x) { return (rec.data.person && x.id === rec.data.person) || (rec.data.person_uuid && (x.uuid === rec.data.person_uuid || (x.record && x.record.uuid === rec.data.person_uuid))); })[0];
      if (p) openVisit(p, rec);
    } else if (resend) {
      var r = find(resend.getAttribute("data-resend"));
      r.status = "menunggu";
      putRecord(r).then(loadQueue).then(function () { render(); sync(); });
    } else if (merge) {
      // The kader says the new person is someone already registered: the visits recorded for the
      // new person go to that one; the registration stays on the phone, marked as merged.
      var person = find(merge.getAttribute("data-merge")), into = Number(merge.getAttribute("data-into"));
      var work = state.queue.filter(function (x) { return x.kind === "visit" && x.data.person_uuid === person.uuid; }).map(function (x) {
        x.data.person = into; x.data.person_uuid = null;
        if (x.status === "ditolak") x.status = "menunggu";
        return putRecord(x);
      });
      person.status = "digabung";
      person.message = "Digabung dengan data yang sudah ada (id " + into + ").";
      work.push(putRecord(person));
      Promise.all(work).then(loadQueue).then(function () { render(); trySync(); });
    }
  });
  $("visit-form").addEventListener("input", function () { updateShowWhen($("visit-form")); provisional(); });
  $("visit-form").addEventListener("change", function () { updateShowWhen($("visit-form")); provisional(); });
  $("visit-form").addEventListener("submit", saveVisit);
  $("person-form").addEventListener("submit", savePerson);
  $("form-cancel").addEventListener("click", function () { show("view-roster"); });
  $("person-cancel").addEventListener("click", function () { show("view-roster"); });
  $("add-person").addEventListener("click", function () { openPerson(null); });
  $("search").addEventListener("input", render);
  $("sync-now").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { renderNet(); sync().then(function () { return refreshDay(); }); });
  window.addEventListener("offline", renderNet);
  start();
})();

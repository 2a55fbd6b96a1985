# station: id messages of the printing station (batch, journal, check; see ../../README.md).

# Bantuan argumen subperintah journal dan registry (help-PERINTAH-ID, value-NAMA).
help-journal-list-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-show-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-export-journal = Jurnal penerbitan stasiun (SQLite) [bawaan: `journal` di konfigurasi stasiun]
help-journal-list-state = Hanya baris dengan status ini: issued, failed, abandoned, superseded, in_progress
help-journal-export-state = Hanya baris dengan status ini: issued, failed, abandoned, superseded, in_progress
help-journal-list-since = Hanya kartu yang dimulai pada atau sesudah hari ini (YYYY-MM-DD, UTC)
help-journal-export-since = Hanya kartu yang dimulai pada atau sesudah hari ini (YYYY-MM-DD, UTC)
help-journal-list-until = Hanya kartu yang dimulai pada atau sebelum hari ini (YYYY-MM-DD, UTC)
help-journal-export-until = Hanya kartu yang dimulai pada atau sebelum hari ini (YYYY-MM-DD, UTC)
help-journal-show-key = Id permohonan, nomor dokumen atau nomor seri cip (heksadesimal)
help-journal-export-csv = CSV dengan baris judul (bawaan; --json memberi JSON)
value-STATE = STATUS
value-DATE = HARI
value-DAYS = HARI
value-JOURNAL = JURNAL
value-QUEUE = ANTREAN
value-ID_OR_NIK = ID_ATAU_NIK
value-DOCUMENT_NUMBER = NOMOR_DOKUMEN
value-APPLICATION_DOCUMENT_CHIP = PERMOHONAN|DOKUMEN|CIP
help-registry-init-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-serve-status-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-export-revocations-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-status-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-submit-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-import-registry = Registri: `postgresql://user@host/db` atau `host=… user=… dbname=…` [konfigurasi: registry; env: EKTP_REGISTRY]
help-registry-export-revocations-signer_key = Kunci privat penanda tangan daftar pencabutan (PKCS#8 PEM)
help-registry-export-revocations-signer_cert = Sertifikat penanda tangan daftar pencabutan (diterbitkan oleh CSCA)
help-registry-export-revocations-list_number = Nomor daftar (beri setiap daftar baru nomor yang lebih besar)
help-registry-export-revocations-valid_days = Hari sampai nextUpdate; loket menolak daftar sesudahnya
help-registry-export-revocations-out = Tempat menulis daftar (tidak pernah ditimpa)
help-registry-status-id_or_nik = Id permohonan atau NIK pemegang
help-registry-submit-queue = Antrean: direktori permohonan (seperti yang diambil `ektp batch`; id setiap permohonan adalah nama berkas atau direktorinya)
help-registry-submit-kind = Jenis permohonan: new (kartu pertama), data-change (data pemegang berubah), damaged (kartu rusak), lost (kartu hilang; dicabut saat permohonan diterima), domicile-change (pemegang pindah domisili)
help-registry-submit-replaces = Nomor dokumen kartu yang diakhiri oleh penggantian (hanya antrean berisi satu permohonan)
help-registry-submit-by = Siapa yang menerima permohonan (dicatat bersama pencabutan kartu yang hilang)
help-registry-import-journal = Jurnal stasiun [bawaan: `journal` di konfigurasi stasiun]

# ektp journal (teks; CSV dan JSON tetap memakai nama kolom bahasa Inggris untuk mesin).
station-journal-head-started = MULAI (UTC)
station-journal-head-state = STATUS
station-journal-head-application = PERMOHONAN
station-journal-head-document = DOKUMEN
station-journal-head-chip = CIP
station-journal-head-note = CATATAN
station-state-issued = diterbitkan
station-state-failed = gagal
station-state-abandoned = ditinggalkan
station-state-superseded = diganti
station-state-in_progress = sedang berjalan
station-journal-count = { $rows } baris: { $issued } diterbitkan, { $failed } gagal, { $abandoned } ditinggalkan, { $superseded } diganti, { $in_progress } sedang berjalan
station-journal-row = baris { $id }: { $state }
station-journal-application = permohonan
station-journal-document = nomor dokumen
station-journal-chip = nomor seri cip
station-journal-started = mulai
station-journal-finished = selesai
station-journal-sod = EF.SOD SHA-256
station-journal-signer = penanda tangan dokumen
station-journal-reason = alasan

# ektp check
station-check-valid = SAH
station-check-invalid = TIDAK SAH
station-check-valid-detail = (dokumen { $doc }, { $type })
station-check-valid-replaces = (dokumen { $doc }, { $type }, mengganti { $replaced })
station-check-problems = ({ $count } masalah)
station-check-document = (dokumen)
station-check-some-invalid = { $invalid } dari { $total } permohonan tidak sah: perbaiki bidang yang disebut, lalu periksa lagi
station-check-unreadable = { $count } berkas tidak dapat dibaca: periksa jalurnya
station-check-one-valid = 1 permohonan sah
station-check-all-valid = semua { $count } permohonan sah
station-type-new = baru
station-type-data_change = perubahan data
station-type-replacement_damaged = pengganti kartu rusak
station-type-replacement_lost = pengganti kartu hilang
station-type-change_of_domicile = pindah domisili

# Masalah permohonan (ektp-lds `Problem::message`; `detail` alasan bahasa Inggris, tidak ditampilkan).
lds-syntax = bukan JSON yang sah (baris { $line }, kolom { $column })
lds-missing = wajib ada tetapi tidak ada
lds-unknown = bukan bidang format ini; hapuslah
lds-wrong-type = jenis nilainya salah (lihat format ektp-application/1)
lds-invalid = nilainya tidak memenuhi aturan format (lihat format ektp-application/1)
lds-nik = NIK tidak sah atau tidak sesuai dengan pemegang (tanggal lahir, jenis kelamin, wilayah)
lds-not-eligible = pemegang berumur { $age } tahun pada tanggal penerbitan, di bawah { $min } dan belum pernah menikah: tidak berhak atas KTP
lds-file-unreadable = berkas tidak dapat dibaca: periksa jalurnya
lds-too-large = lebih besar dari batas { $max } bita
lds-bad-content = isi berkas tidak sah
lds-fingerprint = sidik jari tidak dapat didaftarkan: ambil ulang sidik jarinya

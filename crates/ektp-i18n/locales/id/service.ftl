# service: id messages (see ../../README.md).
# Pesan layanan lokal yang dibaca orang di halaman meja: `service-error-KODE` adalah `message`
# jawaban kesalahan yang `error`-nya KODE.
service-error-token_required = Halaman ini tidak memuat token layanan: buka alamat yang dicetak oleh `ektp serve`
service-error-foreign_host = Ditolak: halaman tidak dibuka pada alamat komputer ini sendiri
service-error-origin_not_allowed = Ditolak: halaman web ini tidak boleh memakai layanan pembaca kartu
service-error-bad_can = CAN adalah 6 angka yang tercetak pada kartu
service-error-unknown_field = Data yang diminta tidak dikenal
service-error-wrong_can = CAN salah: periksa 6 angka yang tercetak pada kartu
service-error-too_many_can_attempts = Terlalu banyak percobaan CAN dalam satu menit terakhir: tunggu satu menit lalu coba lagi
service-error-reader = Tidak ada kartu di pembaca, atau pembaca belum siap: masukkan kartu lalu coba lagi
service-error-no_trust_store = Layanan belum disiapkan untuk memverifikasi kartu (tidak ada trust store): hubungi administrator
service-error-card = Kartu tidak menjawab sebagaimana mestinya: cabut kartu, masukkan lagi, lalu coba lagi
service-error-field_missing = Kartu tidak memuat data yang diminta
service-error-not_found = Halaman tidak ada
service-error-internal = Kesalahan internal layanan kartu: coba lagi, atau hubungi administrator
service-error-bad_finger = Rekaman sidik jari tidak dapat dipakai: rekam ulang jarinya (PNG, 500 ppi)
service-error-too_many_finger_attempts = Kartu ini sudah menghabiskan semua percobaan sidik jari: tidak ada rekaman sidik jari yang dicocokkan dengan kartu ini selama 15 menit ke depan. Jangan serahkan kartu
service-error-bad_request = Permintaan tidak sah
service-error-unknown_application = Permohonan tidak ditemukan: periksa nomor permohonan
service-error-no_applications = Layanan tidak memiliki data permohonan untuk dicocokkan: hubungi administrator
service-error-bad_application = Data permohonan yang tersimpan tidak sah: hubungi administrator
service-error-no_terminal = Layanan tidak dapat membaca sidik jari (tidak ada terminal): hubungi administrator
# Langkah sidik jari di halaman meja.
service-finger-title = Sidik jari
service-finger-prompt = Pemeriksaan kartu lulus. Rekam sidik jari telunjuk kanan pemegang lalu pilih berkasnya.
service-finger-file = Rekaman sidik jari (PNG)
service-finger-check = Periksa sidik jari
service-finger-pending = PERIKSA SIDIK JARI

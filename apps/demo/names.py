"""Indonesian given names and family names common in Bengkulu and Sumatra, for demo people."""

MALE = [
    "Ahmad", "Budi", "Joko", "Rahmat", "Hendra", "Agus", "Dedi", "Irwan", "Syahrul", "Rudi", "Fajar",
    "Yusuf", "Hasan", "Arief", "Bambang", "Eko", "Taufik", "Zulkifli", "Andi", "Ridwan", "Wahyu",
    "Sofyan", "Herman", "Iwan", "Darmawan", "Firdaus", "Gunawan", "Hadi", "Ilham", "Kurniawan",
]
FEMALE = [
    "Siti", "Nurhayati", "Rina", "Dewi", "Sri", "Yuliana", "Fitri", "Ratna", "Lestari", "Wulandari",
    "Rahmawati", "Indah", "Yanti", "Susanti", "Nurul", "Desi", "Erna", "Mega", "Novita", "Putri",
    "Rosmiati", "Sari", "Titin", "Umi", "Vivi", "Winda", "Yeni", "Zubaidah", "Aisyah", "Halimah",
]
FAMILY = [
    "Saputra", "Hidayat", "Santoso", "Pratama", "Wijaya", "Siregar", "Harahap", "Lubis", "Nasution",
    "Syafrudin", "Marlina", "Rahayu", "Anggraini", "Kusuma", "Febriani", "Oktaviani", "Sembiring",
    "Simanjuntak", "Hasibuan", "Purnomo", "Setiawan", "Ramadhan", "Fitriani", "Maharani", "Yusuf",
]
POSYANDU_NAMES = [
    "Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka", "Dahlia", "Flamboyan", "Teratai", "Kamboja",
    "Bougenville", "Seruni", "Tulip", "Asoka", "Nusa Indah", "Raflesia", "Sakura", "Lavender", "Aster",
]

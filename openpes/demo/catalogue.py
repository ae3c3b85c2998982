"""Facts the demo world draws from: population by province, sectors and their occupations, business names."""

# Population by province code (2019 census, thousands): where people and jobs are.
PROVINCE_POPULATION = {
    "01": 861, "02": 987, "03": 899, "04": 527, "05": 877, "06": 677, "07": 592, "08": 1195, "09": 123,
    "10": 372, "11": 88, "12": 2282, "13": 254, "14": 1057, "15": 419, "16": 204, "17": 1006, "18": 310,
    "19": 165, "20": 525, "21": 900, "22": 276, "23": 42, "24": 75, "25": 776,
}  # fmt: skip

# ISIC section → (weight, Khmer and English business words, ISCO-08 unit groups it recruits).
SECTORS = {
    "C": (30, ("រោងចក្រកាត់ដេរ", "Garment Factory"), ["8153", "7531", "8159", "9329", "3122", "7536", "8160"]),
    "F": (12, ("សំណង់", "Construction"), ["7112", "7115", "9313", "7411", "7126", "3112", "7212"]),
    "I": (12, ("សណ្ឋាគារ", "Hotel"), ["5120", "5131", "5151", "9112", "4224", "5132", "9412"]),
    "G": (14, ("ពាណិជ្ជកម្ម", "Trading"), ["5223", "5230", "4321", "5242", "3322", "7231"]),
    "A": (8, ("កសិកម្ម", "Agriculture"), ["6111", "9211", "6121", "8341", "6112"]),
    "H": (7, ("ដឹកជញ្ជូន", "Logistics"), ["8322", "8332", "8321", "9621", "4323", "9333"]),
    "K": (6, ("មីក្រូហិរញ្ញវត្ថុ", "Microfinance"), ["3312", "4211", "4311", "2411"]),
    "J": (3, ("បច្ចេកវិទ្យា", "Technology"), ["2512", "3512", "2166", "4222"]),
    "Q": (3, ("គ្លីនិក", "Clinic"), ["2221", "3221", "5321", "2262"]),
    "P": (2, ("សាលារៀន", "School"), ["2341", "2330", "2353", "5311"]),
    "N": (2, ("សេវាសន្តិសុខ", "Security Services"), ["5414", "9112", "4110", "4226"]),
    "S": (1, ("ហាងសម្ផស្ស", "Beauty Salon"), ["5141", "5142", "7421"]),
}

BRANDS = [
    ("អង្គរ", "Angkor"), ("មេគង្គ", "Mekong"), ("ទន្លេសាប", "Tonle Sap"), ("សុវណ្ណភូមិ", "Sovannaphum"),
    ("ជោគជ័យ", "Chokchey"), ("រស្មី", "Reaksmey"), ("ពន្លឺ", "Ponleu"), ("ឫទ្ធី", "Rithy"), ("កម្ពុជា", "Kampuchea"),
    ("ដួងច័ន្ទ", "Duong Chan"), ("សែនសុខ", "Sen Sok"), ("បាយ័ន", "Bayon"), ("ព្រះវិហារ", "Preah Vihear"),
    ("កោះកុង", "Koh Kong"), ("ផ្កាឈូក", "Lotus"), ("ត្នោត", "Palm Tree"), ("មាសធំ", "Big Gold"), ("ស្ទឹង", "Stung"),
]  # fmt: skip

# ISCED level → share of jobseekers (a labour force with much primary and lower-secondary schooling).
EDUCATION_SHARES = {0: 12, 1: 25, 2: 26, 3: 22, 4: 3, 5: 3, 6: 8, 7: 1}

MIGRATION_COUNTRIES = ["Thailand", "Malaysia", "Republic of Korea", "Japan"]

"""Khmer personal names with their usual Latin spelling, for the demo world and benchmarks."""

FAMILY_NAMES = [
    ("សុខ", "Sok"), ("ចាន់", "Chan"), ("កែវ", "Keo"), ("លី", "Ly"), ("ហេង", "Heng"), ("ស៊ុន", "Sun"),
    ("ម៉ៅ", "Mao"), ("សេង", "Seng"), ("ឈឹម", "Chhim"), ("ពេជ្រ", "Pich"), ("យឹម", "Yim"), ("នួន", "Nuon"),
    ("ខៀវ", "Khiev"), ("ទេព", "Tep"), ("ម៉ម", "Mom"), ("សួន", "Suon"), ("វង្ស", "Vong"), ("ឯក", "Ek"),
    ("អ៊ុក", "Ouk"), ("ព្រំ", "Prum"), ("ឡុង", "Long"), ("ណុប", "Nop"), ("គឹម", "Kim"), ("ជា", "Chea"),
    ("ប៉ែន", "Pen"), ("ហ៊ាង", "Hang"), ("សំ", "Sam"), ("អ៊ឹម", "Im"), ("ទូច", "Touch"), ("ឃុន", "Khun"),
]

FEMALE_NAMES = [
    ("ស្រីមុំ", "Sreymom"), ("សុភា", "Sophea"), ("ចាន់ធី", "Chanthy"), ("ស្រីនិច", "Sreynich"), ("ដាវី", "Davy"),
    ("សុខា", "Sokha"), ("ធីតា", "Thida"), ("រ៉ានី", "Rany"), ("បុប្ផា", "Bopha"), ("ស្រីល័ក្ខ", "Sreyleak"),
    ("ស្រីពៅ", "Sreypov"), ("គន្ធា", "Kunthea"), ("ម៉ាលីស", "Malis"), ("ចិន្តា", "Chenda"), ("និមល", "Nimol"),
    ("សុគន្ធា", "Sokunthea"), ("ច័ន្ទរ៉ា", "Chanra"), ("លក្ខិណា", "Leakhena"), ("ស្រីនាង", "Sreyneang"), ("ពិសី", "Pisey"),
]

MALE_NAMES = [
    ("ដារ៉ា", "Dara"), ("វិចិត្រ", "Vichet"), ("សុភាព", "Sopheap"), ("រតនា", "Rathana"), ("ពិសិដ្ឋ", "Piseth"),
    ("សំណាង", "Samnang"), ("វឌ្ឍនា", "Vathana"), ("ចំរើន", "Chamroeun"), ("សុវណ្ណ", "Sovann"), ("បូរ៉ា", "Bora"),
    ("វិសាល", "Visal"), ("រិទ្ធី", "Rithy"), ("សុផល", "Sophal"), ("កុសល", "Kosal"), ("សុខុម", "Sokhom"),
    ("ភារម្យ", "Phearom"), ("ម៉េងលី", "Mengly"), ("សារ៉ាត់", "Sarat"), ("វុទ្ធី", "Vuthy"), ("ប៊ុនថន", "Bunthan"),
]

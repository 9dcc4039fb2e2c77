"""The demo marathon's campaign and case texts in Belarusian, Russian, Polish and Ukrainian
(CampaignTranslation, CaseTranslation), so that the demo shows content translations."""

from __future__ import annotations

from campaigns.models import Campaign, CampaignTranslation
from cases.models import Case, CaseTranslation

CAMPAIGN = {
    "be": {
        "title": "Пішы дзеля правоў 2012: Алесь Бяляцкі",
        "slogan": "Пішы дзеля правоў!",
        "summary": (
            "Марафон лістоў Amnesty International, які пачаўся 7 снежня 2012 года напярэдадні "
            "Дня правоў чалавека, прыцягвае ўвагу свету да праваабаронцаў, якіх пераследуюць "
            "за іх працу. Падпішыце петыцыю, напішыце Алесю або раскажыце, што зрабіла ваша "
            "група."
        ),
        "petition_target": "Прэзідэнту Рэспублікі Беларусь",
        "petition_text": (
            "Мы заклікаем вас неадкладна і безумоўна вызваліць Алеся Бяляцкага. Ён вязень "
            "сумлення, якога трымаюць за кратамі толькі за яго мірную праваабарончую дзейнасць."
        ),
    },
    "ru": {
        "title": "Пиши ради прав 2012: Алесь Беляцкий",
        "slogan": "Пиши ради прав!",
        "summary": (
            "Марафон писем Amnesty International, начавшийся 7 декабря 2012 года накануне Дня "
            "прав человека, привлекает внимание мира к правозащитникам, которых преследуют за "
            "их работу. Подпишите петицию, напишите Алесю или расскажите, что сделала ваша "
            "группа."
        ),
        "petition_target": "Президенту Республики Беларусь",
        "petition_text": (
            "Мы призываем вас немедленно и безоговорочно освободить Алеся Беляцкого. Он узник "
            "совести, которого держат под стражей только за его мирную правозащитную "
            "деятельность."
        ),
    },
    "pl": {
        "title": "Maraton Pisania Listów 2012: Aleś Bialacki",
        "slogan": "Pisz dla praw człowieka!",
        "summary": (
            "Maraton pisania listów Amnesty International, rozpoczęty 7 grudnia 2012 roku w "
            "przededniu Dnia Praw Człowieka, zwraca uwagę świata na obrońców praw człowieka "
            "prześladowanych za swoją pracę. Podpisz petycję, napisz do Alesia albo opowiedz, "
            "co zrobiła Twoja grupa."
        ),
        "petition_target": "Prezydenta Republiki Białoruś",
        "petition_text": (
            "Wzywamy Pana do natychmiastowego i bezwarunkowego uwolnienia Alesia Bialackiego. "
            "Jest więźniem sumienia, przetrzymywanym wyłącznie za pokojową działalność na "
            "rzecz praw człowieka."
        ),
    },
    "uk": {
        "title": "Пиши заради прав 2012: Алесь Біляцький",
        "slogan": "Пиши заради прав!",
        "summary": (
            "Марафон листів Amnesty International, що розпочався 7 грудня 2012 року напередодні "
            "Дня прав людини, привертає увагу світу до правозахисників, яких переслідують за "
            "їхню роботу. Підпишіть петицію, напишіть Алесеві або розкажіть, що зробила ваша "
            "група."
        ),
        "petition_target": "Президентові Республіки Білорусь",
        "petition_text": (
            "Ми закликаємо вас негайно й беззастережно звільнити Алеся Біляцького. Він в'язень "
            "сумління, якого тримають за ґратами лише за його мирну правозахисну діяльність."
        ),
    },
}

CASE = {
    "be": {
        "headline": "Кіраўнік Праваабарончага цэнтра «Вясна», зняволены за праваабарончую "
        "дзейнасць.",
        "story": (
            "Алесь Бяляцкі заснаваў у Мінску Праваабарончы цэнтр «Вясна» і з'яўляецца "
            "віцэ-прэзідэнтам Міжнароднай федэрацыі за правы чалавека (FIDH). Гадамі «Вясна» "
            "дакументавала палітычныя пераследы ў Беларусі і дапамагала пацярпелым і іх "
            "сем'ям.\n\n"
            "Ён за кратамі з 4 жніўня 2011 года. У лістападзе 2011 года суд у Мінску прысудзіў "
            "яго да чатырох з паловай гадоў калоніі ўзмоцненага рэжыму з канфіскацыяй маёмасці "
            "за нібыта ўхіленне ад выплаты падаткаў; прысуд відавочна звязаны з яго "
            "праваабарончай дзейнасцю. Amnesty International прызнала яго вязнем сумлення.\n\n"
            "У калоніі ў Бабруйску ён чытае, вучыць англійскую і адказвае на вялікую колькасць "
            "лістоў. «Не бойцеся», — напісаў ён усім пасля прысуду."
        ),
    },
    "ru": {
        "headline": "Руководитель Правозащитного центра «Весна», заключённый под стражу за "
        "правозащитную деятельность.",
        "story": (
            "Алесь Беляцкий основал в Минске Правозащитный центр «Весна» и является "
            "вице-президентом Международной федерации за права человека (FIDH). Годами «Весна» "
            "документировала политические преследования в Беларуси и помогала пострадавшим и "
            "их семьям.\n\n"
            "Он находится в заключении с 4 августа 2011 года. В ноябре 2011 года суд в Минске "
            "приговорил его к четырём с половиной годам колонии усиленного режима с "
            "конфискацией имущества за якобы уклонение от уплаты налогов; приговор явно связан "
            "с его правозащитной деятельностью. Amnesty International признала его узником "
            "совести.\n\n"
            "В колонии в Бобруйске он читает, учит английский и отвечает на множество писем. "
            "«Не бойтесь», — написал он всем после приговора."
        ),
    },
    "pl": {
        "headline": "Przewodniczący Centrum Praw Człowieka „Wiasna”, więziony za działalność na "
        "rzecz praw człowieka.",
        "story": (
            "Aleś Bialacki założył w Mińsku Centrum Praw Człowieka „Wiasna” i jest "
            "wiceprzewodniczącym Międzynarodowej Federacji Praw Człowieka (FIDH). Przez lata "
            "„Wiasna” dokumentowała prześladowania polityczne na Białorusi i pomagała "
            "poszkodowanym oraz ich rodzinom.\n\n"
            "Jest w więzieniu od 4 sierpnia 2011 roku. W listopadzie 2011 roku sąd w Mińsku "
            "skazał go na cztery i pół roku kolonii karnej o zaostrzonym rygorze i konfiskatę "
            "mienia za rzekome uchylanie się od płacenia podatków; wyrok ma oczywisty związek z "
            "jego działalnością na rzecz praw człowieka. Amnesty International uznała go za "
            "więźnia sumienia.\n\n"
            "W kolonii karnej w Bobrujsku czyta, uczy się angielskiego i odpowiada na mnóstwo "
            "listów. „Nie bójcie się” — napisał do wszystkich po ogłoszeniu wyroku."
        ),
    },
    "uk": {
        "headline": "Голова Правозахисного центру «Вясна», ув'язнений за правозахисну діяльність.",
        "story": (
            "Алесь Біляцький заснував у Мінську Правозахисний центр «Вясна» і є віцепрезидентом "
            "Міжнародної федерації за права людини (FIDH). Роками «Вясна» документувала "
            "політичні переслідування в Білорусі й допомагала постраждалим та їхнім "
            "родинам.\n\n"
            "Він перебуває за ґратами з 4 серпня 2011 року. У листопаді 2011 року суд у Мінську "
            "засудив його до чотирьох з половиною років колонії посиленого режиму з "
            "конфіскацією майна за нібито ухилення від сплати податків; вирок очевидно "
            "пов'язаний з його правозахисною діяльністю. Amnesty International визнала його "
            "в'язнем сумління.\n\n"
            "У колонії в Бобруйську він читає, вчить англійську й відповідає на безліч листів. "
            "«Не бійтеся», — написав він усім після вироку."
        ),
    },
}


def load_demo_translations(campaign: Campaign, case: Case) -> None:
    CampaignTranslation.objects.bulk_create(
        CampaignTranslation(campaign=campaign, language=language, **texts)
        for language, texts in CAMPAIGN.items()
    )
    CaseTranslation.objects.bulk_create(
        CaseTranslation(case=case, language=language, **texts) for language, texts in CASE.items()
    )

"""Demo data: the third (2023) edition of the Support. Don't Punish Initiatives Programme.

Plain data, loaded by ``manage.py load_demo``. The French texts are the campaign's own words as
published on the French page of the 2023 edition (seed ``000_c20a702012678ae0``), copied as they
are, typos included ("Poilogne", "Berlin (Londres)"), with their no-break spaces inside « ». The
English texts, the initiative titles, the expected results and the theme names in every language
are ours. Amounts awarded and award dates are demo values, not the real grants.
"""

from datetime import date
from decimal import Decimal

SEED_NAME = "000_c20a702012678ae0.txt"

PROGRAMME = {
    "slug": "initiatives-programme",
    "original_language": "en",
    "name_en": "Support. Don't Punish Initiatives Programme",
    # The seed's own spelling, with its typographic apostrophe.
    "name_fr": "Programme d’initiatives – Soutenez. Ne Punissez Pas",
    "description_en": (
        "The Initiatives Programme of the Support. Don't Punish campaign provides resources for "
        "strategic, creative and collaborative projects with ambitious campaigning and policy "
        "advocacy workplans."
    ),
    "description_fr": (
        "Le Programme d'initiatives de la campagne Soutenez. Ne Punissez Pas accorde des "
        "ressources pour réaliser des projets stratégiques, créatifs et collaboratifs qui "
        "impliquent des plans de travail ambitieux en termes de campagne et de plaidoyer "
        "politique."
    ),
}

FUNDERS = [
    {
        "name": "Elton John AIDS Foundation",
        "website": "https://www.eltonjohnaidsfoundation.org/",
    },
]

THEMES = [
    {
        "slug": "artistic-activism",
        "order": 1,
        "name_en": "Artistic activism",
        "name_fr": "Activisme artistique",
        "name_es": "Activismo artístico",
        "name_pt": "Ativismo artístico",
        "name_ru": "Художественный активизм",
    },
    {
        "slug": "policy-advocacy",
        "order": 2,
        "name_en": "Policy advocacy",
        "name_fr": "Plaidoyer politique",
        "name_es": "Incidencia política",
        "name_pt": "Incidência política",
        "name_ru": "Политическая адвокация",
    },
    {
        "slug": "capacity-building",
        "order": 3,
        "name_en": "Capacity building",
        "name_fr": "Développement des capacités",
        "name_es": "Fortalecimiento de capacidades",
        "name_pt": "Fortalecimento de capacidades",
        "name_ru": "Развитие потенциала",
    },
    {
        "slug": "community-mobilisation",
        "order": 4,
        "name_en": "Community mobilisation",
        "name_fr": "Mobilisation communautaire",
        "name_es": "Movilización comunitaria",
        "name_pt": "Mobilização comunitária",
        "name_ru": "Мобилизация сообществ",
    },
]

# Editions by slug. The 2022 edition is only there as the "previous edition" the 2023 page
# links to: its dates are plausible placeholders and its initiatives are not loaded.
EDITIONS = [
    {
        "slug": "2022",
        "number": 2,
        "year": 2022,
        "original_language": "en",
        "status": "closed",
        "period_start": date(2022, 6, 1),
        "period_end": date(2022, 12, 31),
        "currency": "USD",
        "title_en": "Support. Don't Punish Initiatives Programme 2022",
        "title_fr": "Programme d’initiatives – Soutenez. Ne Punissez Pas 2022",
        "introduction_en": (
            "The 2022 edition was the second edition of the Support. Don't Punish Initiatives "
            "Programme, which provides resources for strategic, creative and collaborative "
            "projects with ambitious campaigning and policy advocacy workplans. The third "
            "edition followed in 2023.\n\n"
            "The initiatives funded in 2022 are not included in this demo data."
        ),
        "introduction_fr": (
            "L’édition 2022 était la deuxième édition du Programme d’initiatives de la campagne "
            "Soutenez. Ne Punissez Pas, qui accorde des ressources pour réaliser des projets "
            "stratégiques, créatifs et collaboratifs impliquant des plans de travail ambitieux "
            "en termes de campagne et de plaidoyer politique. La troisième édition a suivi en "
            "2023.\n\n"
            "Les initiatives financées en 2022 ne figurent pas dans ces données de démonstration."
        ),
        "themes": [],
        "funders": [],
    },
    {
        "slug": "2023",
        "number": 3,
        "year": 2023,
        "original_language": "fr",
        "status": "closed",
        "period_start": date(2023, 6, 1),
        "period_end": date(2023, 12, 31),
        "grant_minimum": Decimal("4000.00"),
        "grant_maximum": Decimal("5000.00"),
        "currency": "USD",
        "max_grants": 7,
        "title_en": "Support. Don't Punish Initiatives Programme 2023",
        "title_fr": "Programme d’initiatives – Soutenez. Ne Punissez Pas 2023",
        "introduction_en": "\n\n".join(
            [
                "The Initiatives Programme of the Support. Don't Punish campaign provides "
                "resources for strategic, creative and collaborative projects with ambitious "
                "campaigning and policy advocacy workplans.",
                "The third edition of the Initiatives Programme (read more about the second "
                "edition here) ran from June to December 2023 and funded a wide range of "
                "activities, from artistic activism to policy advocacy and capacity building, "
                "by six community and advocacy groups working on six countries: Bolivia, "
                "Brazil, Indonesia, Mali, Poland and Russia (although that workplan has an "
                "international reach).",
                "This year's initiatives are projects whose geographic coverage includes "
                "Bolivia, Brazil, Indonesia, Mali, Poland and Russia / the Netherlands.",
                "Below you will find more information about each project and its expected results.",
            ]
        ),
        # The paragraphs before the first initiative, except the funder's sentence, which is
        # the funder acknowledgement below.
        "introduction_fr": "\n\n".join(
            [
                (
                    "Le Programme d'initiatives de la campagne Soutenez. Ne Punissez Pas accorde "
                    "des ressources pour réaliser des projets stratégiques, créatifs et "
                    "collaboratifs qui impliquent des plans de travail ambitieux en termes de "
                    "campagne et de plaidoyer politique."
                ),
                (
                    "La troisième édition du Programme d’initiatives (en savoir plus sur la "
                    "deuxième édition ici) s’est déroulée entre juin et décembre 2023 et a "
                    "financé un large éventail d’activités allant de l’activisme artistique au "
                    "plaidoyer politique, en passant par le développement des capacités de six "
                    "groupes communautaires et de plaidoyer concernant six pays : Bolivie, "
                    "Brésil, Indonésie, Mali, Pologne et Russie (bien que ce plan de travail ait "
                    "une portée internationale)."
                ),
                (
                    "Les initiatives de cette année concernent des projets dont la couverture "
                    "géographique comprend la Bolivie, le Brésil, l’Indonésie, le Mali, la "
                    "Poilogne et la Russie / les Pays-Bas."
                ),
                (
                    "Ci-dessous, vous trouverez plus d’informations sur chaque projet et les "
                    "résultats attendus."
                ),
            ]
        ),
        "themes": [
            "artistic-activism",
            "policy-advocacy",
            "capacity-building",
            "community-mobilisation",
        ],
        "funders": [
            {
                "funder": "Elton John AIDS Foundation",
                "order": 1,
                "acknowledgement_en": (
                    "The Initiatives Programme is made possible by the invaluable support of the "
                    "Elton John AIDS Foundation, which enables our global campaign to promote "
                    "harm reduction and community mobilisation."
                ),
                "acknowledgement_fr": (
                    "Le programme Initiatives est possible grâce au soutien inestimable de la\xa0"
                    "Elton John AIDS Foundation, qui permet à notre campagne mondiale de "
                    "promouvoir la réduction des risques et la mobilisation des communautés."
                ),
            },
        ],
    },
]

ORGANISATIONS = [
    {
        "slug": "accion-andina",
        "name": "Acción Andina",
        "acronym": "",
        "kind": "ngo",
        "country": "BO",
        "city": "",
        "founded_year": 1992,
        "original_language": "fr",
        "description_fr": (
            "Acción Andina – Bolivie a été créée en 1992 et est une plateforme de personnes qui, "
            "en relation directe et constante avec la base, travaillent pour changer les "
            "politiques prohibitionnistes en matière de drogues par le biais d’une réforme "
            "juridique, d’un plaidoyer politique, d’une mobilisation sociale et de la promotion "
            "de réponses sanitaires et sociales aux problèmes liés à la consommation de drogues, "
            "sans avoir recours à la criminalisation."
        ),
        "description_en": (
            "Acción Andina – Bolivia was founded in 1992. It is a platform of people who, in "
            "direct and constant contact with the grassroots, work to change prohibitionist drug "
            "policies through legal reform, policy advocacy, social mobilisation and the "
            "promotion of health and social responses to problems related to drug use, without "
            "resorting to criminalisation."
        ),
    },
    {
        "slug": "escola-livre-de-reducao-de-danos",
        "name": "Escola Livre de Redução de Danos",
        "acronym": "",
        "kind": "ngo",
        "country": "BR",
        "city": "Recife",
        "founded_year": None,
        "original_language": "fr",
        "description_fr": (
            "L’Escola Livre de Redução de Danos (École libre de réduction des risques) est une "
            "organisation professionnelle et politique née à Recife, au Pernambouc, dont "
            "l’objectif est de renforcer les droits humains et la citoyenneté des personnes "
            "directement touchées par les effets des politiques prohibitionnistes de la guerre "
            "contre la drogue en Amérique latine et dans les Caraïbes, à savoir les personnes "
            "d’ascendance africaine, les populations indigènes, les femmes et les personnes "
            "vivant dans les zones périphériques. L’École Libre opère sur la base de politiques "
            "féministes, antiracistes, abolitionnistes, anti-punitives et anti-asile "
            "psychiatrique, et cherche à stimuler les soins et la prévention, la recherche, la "
            "formation, la production, la communication, le plaidoyer et la coexistence afin "
            "d’intervenir dans la mise en œuvre de politiques publiques, de technologies et de "
            "services sociaux basés sur des preuves qui affirment les droits et réduisent les "
            "préjudices. La mission de l’École Libre est de promouvoir la formation et "
            "l’organisation politique des personnes qui consomment des drogues et des praticiens "
            "de la réduction des risques, de reconnaître et de partager les concepts et les "
            "pratiques de production et de soins sociaux et universitaires, et de stimuler "
            "l’apprentissage par les pairs et le dialogue sur la réduction des risques et "
            "l’intersectionnalité, l’équité, l’égalité des sexes, la race, l’accès aux "
            "ressources et la qualité de vie."
        ),
        "description_en": (
            "The Escola Livre de Redução de Danos (Free School of Harm Reduction) is a "
            "professional and political organisation born in Recife, Pernambuco. Its aim is to "
            "strengthen the human rights and citizenship of the people most directly affected "
            "by the prohibitionist policies of the war on drugs in Latin America and the "
            "Caribbean: people of African descent, Indigenous peoples, women and people living "
            "in peripheral areas. The Escola Livre works from feminist, anti-racist, "
            "abolitionist, anti-punitive and anti-asylum politics, and seeks to foster care and "
            "prevention, research, training, production, communication, advocacy and "
            "coexistence in order to influence the implementation of evidence-based public "
            "policies, technologies and social services that affirm rights and reduce harm. Its "
            "mission is to promote the training and political organisation of people who use "
            "drugs and of harm reduction practitioners, to recognise and share concepts and "
            "practices of social and academic production and care, and to encourage peer "
            "learning and dialogue on harm reduction and intersectionality, equity, gender "
            "equality, race, access to resources and quality of life."
        ),
    },
    {
        "slug": "aksi-keadilan-indonesia",
        "name": "Aksi Keadilan Indonesia",
        "acronym": "AKSI",
        "kind": "community",
        "country": "ID",
        "city": "",
        "founded_year": None,
        "original_language": "fr",
        "description_fr": (
            "Aksi Keadilan est une organisation communautaire qui œuvre pour l’accès à la "
            "justice des personnes usagères de drogues, des personnes vivant avec le VIH et "
            "d’autres groupes minoritaires, y compris la communauté LGBTQ+."
        ),
        "description_en": (
            "Aksi Keadilan is a community organisation working for access to justice for people "
            "who use drugs, people living with HIV and other minority groups, including the "
            "LGBTQ+ community."
        ),
    },
    {
        "slug": "association-kenedougou-solidarite",
        "name": "Association Kénédougou Solidarité",
        "acronym": "AKS",
        "kind": "ngo",
        "country": "ML",
        "city": "",
        "founded_year": 1998,
        "original_language": "fr",
        "description_fr": (
            "L’Association Kénédougou Solidarité (AKS) a été créée en 1998 et reconnue d’utilité "
            "publique par le ministère malien de la santé en 2001. L’AKS a pour objectif de "
            "promouvoir les conditions sanitaires, environnementales, éducatives et "
            "socio-économiques de tous les citoyens, en particulier des populations "
            "marginalisées. AKS est une organisation spécialisée dans la prévention et le "
            "traitement du VIH, et mène des activités thérapeutiques, psychosociales, de "
            "réintégration, de prévention, de plaidoyer et de formation au service des "
            "communautés vivant avec, risquant de vivre avec ou affectées par le VIH."
        ),
        "description_en": (
            "The Association Kénédougou Solidarité (AKS) was founded in 1998 and recognised as "
            "being of public benefit by Mali's Ministry of Health in 2001. AKS aims to improve "
            "the health, environmental, educational and socio-economic conditions of all "
            "citizens, particularly marginalised populations. AKS specialises in HIV prevention "
            "and treatment, and carries out therapeutic, psychosocial, reintegration, "
            "prevention, advocacy and training activities for communities living with, at risk "
            "of living with or affected by HIV."
        ),
    },
    {
        "slug": "helsinki-foundation-for-human-rights",
        "name": "Helsinki Foundation for Human Rights",
        "acronym": "HFHR",
        "kind": "foundation",
        "country": "PL",
        "city": "",
        "founded_year": None,
        "original_language": "fr",
        "description_fr": (
            "La Fondation Helsinki pour les droits humains (HFHR) est la principale ONG dédiée à "
            "la protection des droits humains en Pologne, et l’une des plus expérimentées dans "
            "ce domaine dans la région d’Europe centrale et orientale. Sa mission est de "
            "défendre les droits humains, la démocratie et l’État de droit en Pologne et à "
            "l’étranger. Le programme de politique des drogues de la HFHR vise à promouvoir des "
            "politiques des drogues fondées sur les droits humains et sur des données probantes "
            "aux niveaux local, national et régional."
        ),
        "description_en": (
            "The Helsinki Foundation for Human Rights (HFHR) is the leading NGO dedicated to "
            "protecting human rights in Poland, and one of the most experienced in the field in "
            "Central and Eastern Europe. Its mission is to defend human rights, democracy and "
            "the rule of law in Poland and abroad. HFHR's drug policy programme promotes drug "
            "policies based on human rights and evidence at local, national and regional level."
        ),
    },
    {
        "slug": "skosh",
        "name": "SKOSH",
        "acronym": "",
        "kind": "ngo",
        # The seed gives the initiative's coverage as "Russia / the Netherlands" and no country
        # for the organisation itself: we record the Netherlands, where it works from.
        "country": "NL",
        "city": "",
        "founded_year": None,
        "original_language": "fr",
        "description_fr": (
            "SKOSH est une organisation sœur de la Fondation Andrey Rylkov pour la santé et la "
            "justice sociale. L’objectif de l’organisation est de promouvoir la santé, la "
            "justice, la dignité et les droits humains dans le domaine des drogues et de la "
            "politique en matière de drogues par l’éducation, la mise en réseau et l’innovation "
            "technologique. SKOSH vise à aider les organisations communautaires à accéder aux "
            "derniers développements scientifiques internationaux et aux meilleures pratiques, "
            "et à renforcer leur participation à la production de connaissances et à "
            "l’innovation."
        ),
        "description_en": (
            "SKOSH is a sister organisation of the Andrey Rylkov Foundation for Health and "
            "Social Justice. It aims to promote health, justice, dignity and human rights in the "
            "field of drugs and drug policy through education, networking and technological "
            "innovation. SKOSH helps community organisations gain access to the latest "
            "international scientific developments and best practices, and strengthens their "
            "participation in knowledge production and innovation."
        ),
    },
    {
        # Not funded in 2023: here because SKOSH is its sister organisation.
        "slug": "andrey-rylkov-foundation",
        "name": "Andrey Rylkov Foundation for Health and Social Justice",
        "acronym": "ARF",
        "kind": "foundation",
        "country": "RU",
        "city": "",
        "founded_year": None,
        "original_language": "en",
        "description_en": (
            "The Andrey Rylkov Foundation for Health and Social Justice (ARF) is the sister "
            "organisation of SKOSH. Part of its database on the atrocities committed by the "
            "Putin regime in Russia and Ukraine was destroyed in a government attack on its "
            "website."
        ),
        "description_fr": (
            "La Fondation Andrey Rylkov pour la santé et la justice sociale (ARF) est "
            "l’organisation sœur de SKOSH. Sa base de données sur les atrocités commises par le "
            "régime de Poutine en Russie et en Ukraine a été partiellement détruite lors d’une "
            "attaque gouvernementale contre son site web."
        ),
    },
]

# (organisation, kind, related organisation), by slug.
ORGANISATION_RELATIONS = [
    ("skosh", "sister", "andrey-rylkov-foundation"),
]

# Shared by every 2023 initiative. The seed gives no amounts: 5,000 USD (the top of the
# edition's range) and an award on the first day of the period are demo values.
INITIATIVE_DEFAULTS = {
    "amount_awarded": Decimal("5000.00"),
    "currency": "USD",
    "awarded_on": date(2023, 6, 1),
    "period_start": date(2023, 6, 1),
    "period_end": date(2023, 12, 31),
    "status": "completed",
    "workplan_status": "approved",
    "original_language": "fr",
}

# The 2023 initiatives, in the seed's order.
INITIATIVES = [
    {
        "edition": "2023",
        "slug": "accion-andina",
        "order": 1,
        "lead_organisation": "accion-andina",
        "countries": ["BO"],
        "places": "",
        "themes": ["community-mobilisation", "policy-advocacy", "artistic-activism"],
        "title_en": "Organising women who use psychoactive substances",
        "title_fr": "Organisation des femmes usagères de substances psychoactives",
        "description_fr": (
            "Le projet cherche à consolider l’articulation et l’organisation des femmes usagères "
            "de substances psychoactives, dans un contexte national fortement prohibitionniste "
            "et patriarcal, où toute consommation de drogue est considérée comme un délit, et où "
            "les inégalités de genre dans le domaine des drogues restent invisibilisées. Cette "
            "initiative se concentre sur trois lignes d’action : la promotion de l’organisation "
            "et de la mobilisation sociales, la création de plateformes et de mécanismes "
            "d’expression pour les femmes socialement exclues et emprisonnées à plusieurs "
            "reprises, l’élaboration d’un manifeste et d’une proposition de réponses à la "
            "réduction des risques dans une perspective de genre, et l’organisation d’une "
            "exposition basée sur le travail littéraire et artistique développé par le projet."
        ),
        # "Three lines of action" is the seed's wording, though it lists four.
        "description_en": (
            "The project seeks to consolidate the coordination and organisation of women who "
            "use psychoactive substances, in a strongly prohibitionist and patriarchal national "
            "context where any drug use is considered an offence and where gender inequalities "
            "in the field of drugs remain invisible. The initiative focuses on three lines of "
            "action: promoting social organisation and mobilisation; creating platforms and "
            "mechanisms of expression for socially excluded and repeatedly imprisoned women; "
            "drafting a manifesto and a proposal for harm reduction responses with a gender "
            "perspective; and organising an exhibition based on the literary and artistic work "
            "developed by the project."
        ),
        "expected_results_fr": (
            "Les femmes usagères de substances psychoactives sont mieux organisées et "
            "mobilisées.\n"
            "Des plateformes et des mécanismes d’expression existent pour les femmes socialement "
            "exclues et emprisonnées à plusieurs reprises.\n"
            "Un manifeste et une proposition de réponses de réduction des risques dans une "
            "perspective de genre sont rédigés.\n"
            "Une exposition présente le travail littéraire et artistique développé par le projet."
        ),
        "expected_results_en": (
            "Women who use psychoactive substances are better organised and mobilised.\n"
            "Platforms and mechanisms of expression exist for socially excluded and repeatedly "
            "imprisoned women.\n"
            "A manifesto and a proposal for harm reduction responses with a gender perspective "
            "are drafted.\n"
            "An exhibition presents the literary and artistic work developed by the project."
        ),
        "lines_of_action": [
            {
                "title_fr": "La promotion de l’organisation et de la mobilisation sociales",
                "title_en": "Promoting social organisation and mobilisation",
            },
            {
                "title_fr": (
                    "La création de plateformes et de mécanismes d’expression pour les femmes "
                    "socialement exclues et emprisonnées à plusieurs reprises"
                ),
                "title_en": (
                    "Creating platforms and mechanisms of expression for socially excluded and "
                    "repeatedly imprisoned women"
                ),
            },
            {
                "title_fr": (
                    "L’élaboration d’un manifeste et d’une proposition de réponses à la réduction "
                    "des risques dans une perspective de genre"
                ),
                "title_en": (
                    "Drafting a manifesto and a proposal for harm reduction responses with a "
                    "gender perspective"
                ),
            },
            {
                "title_fr": (
                    "L’organisation d’une exposition basée sur le travail littéraire et "
                    "artistique développé par le projet"
                ),
                "title_en": (
                    "Organising an exhibition based on the literary and artistic work developed "
                    "by the project"
                ),
            },
        ],
    },
    {
        "edition": "2023",
        "slug": "escola-livre",
        "order": 2,
        "lead_organisation": "escola-livre-de-reducao-de-danos",
        "countries": ["BR"],
        "places": "Recife, Pernambuco",
        "themes": ["artistic-activism", "community-mobilisation"],
        "title_en": "Cultural interventions for harm reduction in Recife",
        "title_fr": "Interventions culturelles pour la réduction des risques à Recife",
        # The seed's caption opens its quotation without the «: kept as published.
        "cover_caption_fr": (
            "La réduction des risques, c’est l’expansion de la vie\xa0» – l’une des nombreuses "
            "illustrations partagées par l’Escola Livre de Redução de Danos."
        ),
        "cover_caption_en": (
            "“Harm reduction is the expansion of life” – one of the many illustrations shared "
            "by the Escola Livre de Redução de Danos."
        ),
        "description_fr": (
            "L’École Libre organise une série d’interventions culturelles qui promeuvent la "
            "réduction des risques et rendent visible la diversité des expressions culturelles "
            "des personnes qui consomment des drogues dans la ville de Recife, Pernambuco. Les "
            "événements offriront également un espace aux musiciens, danseurs, vidéastes et "
            "autres spécialistes de la culture afin d’amplifier cette production culturelle."
        ),
        "description_en": (
            "The Escola Livre is organising a series of cultural interventions that promote harm "
            "reduction and make visible the diversity of cultural expressions of people who use "
            "drugs in the city of Recife, Pernambuco. The events will also offer a space to "
            "musicians, dancers, video makers and other cultural workers to amplify this "
            "cultural production."
        ),
        "expected_results_fr": (
            "Une série d’interventions culturelles à Recife promeut la réduction des risques et "
            "rend visible la diversité des expressions culturelles des personnes qui consomment "
            "des drogues.\n"
            "Des musiciens, danseurs, vidéastes et autres spécialistes de la culture disposent "
            "d’un espace pour amplifier cette production culturelle."
        ),
        "expected_results_en": (
            "A series of cultural interventions in Recife promotes harm reduction and makes "
            "visible the diversity of cultural expressions of people who use drugs.\n"
            "Musicians, dancers, video makers and other cultural workers have a space to amplify "
            "this cultural production."
        ),
        "lines_of_action": [],
    },
    {
        "edition": "2023",
        "slug": "art-speaks-justice",
        "order": 3,
        "lead_organisation": "aksi-keadilan-indonesia",
        "countries": ["ID"],
        "places": "Jakarta, Bogor",
        "themes": ["artistic-activism", "policy-advocacy"],
        "title_en": "Art Speaks Justice",
        "title_fr": "Art Speaks Justice (L’art parle de justice)",
        "cover_caption_fr": (
            "Dans le cadre du projet «\xa0Art Speaks Justice\xa0» de l’AKSI, une exposition sur "
            "la réduction des risques a été organisée avec des discussions satellites entre la "
            "communauté et les autorités publiques en marge de la fête nationale indonésienne."
        ),
        "cover_caption_en": (
            "As part of AKSI's “Art Speaks Justice” project, a harm reduction exhibition was "
            "held, with satellite discussions between the community and public authorities, on "
            "the sidelines of Indonesia's national day."
        ),
        "description_fr": (
            "Cette initiative soutiendra la campagne «\xa0Art Speaks Justice : Access to Justice "
            "for People Who Use Drugs\xa0» (L’art parle de justice : l’accès à la justice pour "
            "les personnes usagères de drogues), qui, par le biais de l’activisme artistique, "
            "promeut l’importance de l’accès à la justice pour les personnes usagères de "
            "drogues. Dans le cadre de ces activités, Aksi sélectionnera des artistes de Jakarta "
            "pour développer des œuvres d’art qui traitent de cette question. En collaboration "
            "avec le Forum créatif de Bogor et d’autres collectifs artistiques, Aksi organisera "
            "une exposition d’art pour célébrer cette production culturelle, ainsi que des "
            "discussions publiques, des spectacles musicaux et d’autres expressions artistiques "
            "en faveur de l’accès à la justice. Une campagne sur les médias sociaux soutiendra "
            "les activités hors ligne, en développant des hashtags et des messages connexes."
        ),
        "description_en": (
            "This initiative will support the campaign “Art Speaks Justice: Access to Justice "
            "for People Who Use Drugs”, which uses artistic activism to promote the importance "
            "of access to justice for people who use drugs. As part of these activities, Aksi "
            "will select artists from Jakarta to develop artworks that address the issue. "
            "Together with the Bogor Creative Forum and other art collectives, Aksi will "
            "organise an art exhibition celebrating this cultural production, along with public "
            "discussions, music performances and other artistic expressions in support of "
            "access to justice. A social media campaign will support the offline activities by "
            "developing hashtags and related messages."
        ),
        "expected_results_fr": (
            "Des artistes de Jakarta développent des œuvres sur l’accès à la justice pour les "
            "personnes usagères de drogues.\n"
            "Une exposition d’art, avec des discussions publiques et des spectacles musicaux, est "
            "organisée avec le Forum créatif de Bogor et d’autres collectifs artistiques.\n"
            "Une campagne sur les médias sociaux, avec ses hashtags et ses messages, soutient "
            "les activités hors ligne."
        ),
        "expected_results_en": (
            "Artists from Jakarta develop artworks on access to justice for people who use "
            "drugs.\n"
            "An art exhibition, with public discussions and music performances, is organised "
            "with the Bogor Creative Forum and other art collectives.\n"
            "A social media campaign, with its hashtags and messages, supports the offline "
            "activities."
        ),
        "lines_of_action": [],
    },
    {
        "edition": "2023",
        "slug": "aks-sikasso-kadiolo",
        "order": 4,
        "lead_organisation": "association-kenedougou-solidarite",
        "countries": ["ML"],
        "places": "Sikasso, Kadiolo",
        "themes": ["policy-advocacy", "capacity-building"],
        "title_en": "Engaging the authorities of Sikasso and Kadiolo on drug policy",
        "title_fr": "Mobiliser les autorités de Sikasso et de Kadiolo sur la politique des drogues",
        "description_fr": (
            "L’initiative d’AKS vise à impliquer les autorités administratives, pénitentiaires "
            "et policières de Sikasso et de Kadiolo dans le plaidoyer pour la révision des "
            "politiques du pays en matière de drogue et, en particulier, pour le bien-être des "
            "personnes privées de liberté pour des délits liés à la drogue. Ce travail prendra "
            "la forme d’ateliers d’information et de sensibilisation axés sur les droits humains "
            "et les réponses de santé publique. Ces activités seront renforcées par une campagne "
            "de sensibilisation «\xa0Connaissez vos droits\xa0» destinée aux personnes usagères "
            "de drogues, qui créera également des espaces de discussion sur la santé et les "
            "questions connexes telles que le genre, la violence fondée sur le genre et les "
            "droits de l’homme dans les contextes de détention. Ces activités visent à modifier "
            "les attitudes et les réponses des autorités à l’égard des personnes usagères de "
            "drogues, à garantir la participation de pairs éducateurs dans les centres de "
            "détention, à transformer la manière dont les autorités pénales réagissent aux "
            "infractions liées aux drogues et aux détenus qui en sont dépendants, et à "
            "promouvoir des réponses qui affirment les droits humains dans ces espaces."
        ),
        "description_en": (
            "AKS's initiative aims to involve the administrative, prison and police authorities "
            "of Sikasso and Kadiolo in advocacy for the revision of the country's drug policies "
            "and, in particular, for the well-being of people deprived of their liberty for "
            "drug-related offences. This work will take the form of information and awareness "
            "workshops focused on human rights and public health responses. These activities "
            "will be reinforced by a “Know your rights” awareness campaign for people who use "
            "drugs, which will also create spaces for discussion on health and related issues "
            "such as gender, gender-based violence and human rights in detention settings. These "
            "activities aim to change the attitudes and responses of the authorities towards "
            "people who use drugs, to ensure the participation of peer educators in detention "
            "centres, to transform the way criminal justice authorities respond to drug-related "
            "offences and to detainees who are dependent on drugs, and to promote responses "
            "that affirm human rights in these spaces."
        ),
        "expected_results_fr": (
            "Les autorités administratives, pénitentiaires et policières de Sikasso et de "
            "Kadiolo participent à des ateliers d’information et de sensibilisation sur les "
            "droits humains et les réponses de santé publique.\n"
            "Une campagne «\xa0Connaissez vos droits\xa0» atteint les personnes usagères de "
            "drogues et ouvre des espaces de discussion sur la santé, le genre, la violence "
            "fondée sur le genre et les droits humains en détention.\n"
            "Les attitudes et les réponses des autorités à l’égard des personnes usagères de "
            "drogues évoluent, et des pairs éducateurs participent dans les centres de détention."
        ),
        "expected_results_en": (
            "The administrative, prison and police authorities of Sikasso and Kadiolo take part "
            "in information and awareness workshops on human rights and public health "
            "responses.\n"
            "A “Know your rights” campaign reaches people who use drugs and opens spaces for "
            "discussion on health, gender, gender-based violence and human rights in "
            "detention.\n"
            "The authorities' attitudes and responses towards people who use drugs change, and "
            "peer educators take part in detention centres."
        ),
        "lines_of_action": [],
    },
    {
        "edition": "2023",
        "slug": "hfhr-closed-door-dialogues",
        "order": 5,
        "lead_organisation": "helsinki-foundation-for-human-rights",
        "countries": ["PL"],
        "places": "",
        "themes": ["policy-advocacy"],
        "title_en": "Closed-door dialogues on the criminalisation of drug possession",
        "title_fr": "Dialogues à huis clos sur la criminalisation de la possession de drogues",
        "cover_caption_fr": (
            "Les activités de la HFHR ont été lancées autour du 26 juin avec une discussion "
            "publique sur les défis liés à l’adoption des dispositions de décriminalisation dans "
            "la législation polonaise."
        ),
        "cover_caption_en": (
            "HFHR's activities were launched around 26 June with a public discussion on the "
            "challenges of adopting decriminalisation provisions in Polish law."
        ),
        "description_fr": (
            "L’initiative de la HFHR prévoit une série de réunions informelles à huis clos entre "
            "les autorités judiciaires et répressives, les avocats spécialisés dans les droits "
            "humains, les experts en politique des drogues et les représentants des réseaux "
            "communautaires afin de discuter de l’impact de la mise en œuvre de la "
            "criminalisation de la possession de drogues. Des activités de plaidoyer et de "
            "communication seront développées pour soutenir ces forums."
        ),
        "description_en": (
            "HFHR's initiative plans a series of informal closed-door meetings between judicial "
            "and law enforcement authorities, human rights lawyers, drug policy experts and "
            "representatives of community networks to discuss the impact of enforcing the "
            "criminalisation of drug possession. Advocacy and communication activities will be "
            "developed to support these forums."
        ),
        "expected_results_fr": (
            "Des réunions informelles à huis clos réunissent autorités judiciaires et "
            "répressives, avocats spécialisés dans les droits humains, experts en politique des "
            "drogues et représentants des réseaux communautaires sur l’impact de la "
            "criminalisation de la possession de drogues.\n"
            "Des activités de plaidoyer et de communication soutiennent ces forums."
        ),
        "expected_results_en": (
            "Informal closed-door meetings bring together judicial and law enforcement "
            "authorities, human rights lawyers, drug policy experts and representatives of "
            "community networks on the impact of criminalising drug possession.\n"
            "Advocacy and communication activities support these forums."
        ),
        "lines_of_action": [],
    },
    {
        "edition": "2023",
        "slug": "skosh",
        "order": 6,
        "lead_organisation": "skosh",
        "countries": ["RU", "NL"],
        "coverage_label_en": "International / Russia",
        "coverage_label_fr": "Internationale / Russie",
        "coverage_label_es": "Internacional / Rusia",
        "coverage_label_pt": "Internacional / Rússia",
        "coverage_label_ru": "Международный уровень / Россия",
        "places": "Moscow, Berlin, Tbilisi, Paris",
        "themes": ["artistic-activism", "community-mobilisation"],
        "title_en": "Solidarity, memory and film against Russia's “war on drugs”",
        "title_fr": (
            "Solidarité, mémoire et cinéma face à la «\xa0guerre contre la drogue\xa0» russe"
        ),
        "description_fr": (
            "L’initiative SKOSH se concentrera sur trois dimensions : 1) l’organisation "
            "d’événements culturels et de solidarité sous la forme d’expositions de photos à "
            "Moscou (Russie), d’événements commémoratifs à Berlin (Londres) et à Tbilissi "
            "(Géorgie), et d’un forum cinématographique à Paris (France), tous axés sur les "
            "expressions culturelles des militants anti-prohibitionnistes et des clients des "
            "services en Russie ; 2) la restauration de la base de données de l’ARF sur les "
            "atrocités commises par le régime de Poutine en Russie et en Ukraine – qui a été "
            "partiellement détruite lors d’une attaque gouvernementale contre le site web de "
            "l’organisation ; et 3) la production d’un film sur l’impact de la «\xa0guerre "
            "contre la drogue\xa0» menée par la Russie."
        ),
        # "Berlin (London)" translates the seed as published; the secretariat should check it.
        "description_en": (
            "The SKOSH initiative will focus on three dimensions: 1) organising cultural and "
            "solidarity events in the form of photo exhibitions in Moscow (Russia), "
            "commemorative events in Berlin (London) and Tbilisi (Georgia), and a film forum in "
            "Paris (France), all focused on the cultural expressions of anti-prohibitionist "
            "activists and service users in Russia; 2) restoring ARF's database on the "
            "atrocities committed by the Putin regime in Russia and Ukraine, which was partly "
            "destroyed in a government attack on the organisation's website; and 3) producing a "
            "film on the impact of the “war on drugs” waged by Russia."
        ),
        "expected_results_fr": (
            "Des expositions de photos, des événements commémoratifs et un forum "
            "cinématographique font connaître les expressions culturelles des militants "
            "anti-prohibitionnistes et des clients des services en Russie.\n"
            "La base de données de l’ARF sur les atrocités commises par le régime de Poutine en "
            "Russie et en Ukraine est restaurée.\n"
            "Un film sur l’impact de la «\xa0guerre contre la drogue\xa0» menée par la Russie "
            "est produit."
        ),
        "expected_results_en": (
            "Photo exhibitions, commemorative events and a film forum make the cultural "
            "expressions of anti-prohibitionist activists and service users in Russia known.\n"
            "ARF's database on the atrocities committed by the Putin regime in Russia and "
            "Ukraine is restored.\n"
            "A film on the impact of the “war on drugs” waged by Russia is produced."
        ),
        "lines_of_action": [
            {
                "title_fr": "Événements culturels et de solidarité",
                "title_en": "Cultural and solidarity events",
                "description_fr": (
                    "L’organisation d’événements culturels et de solidarité sous la forme "
                    "d’expositions de photos à Moscou (Russie), d’événements commémoratifs à "
                    "Berlin (Londres) et à Tbilissi (Géorgie), et d’un forum cinématographique à "
                    "Paris (France), tous axés sur les expressions culturelles des militants "
                    "anti-prohibitionnistes et des clients des services en Russie."
                ),
                "description_en": (
                    "Photo exhibitions in Moscow (Russia), commemorative events in Berlin "
                    "(London) and Tbilisi (Georgia), and a film forum in Paris (France), all "
                    "focused on the cultural expressions of anti-prohibitionist activists and "
                    "service users in Russia."
                ),
            },
            {
                "title_fr": "Restauration de la base de données de l’ARF",
                "title_en": "Restoring ARF's database",
                "description_fr": (
                    "La restauration de la base de données de l’ARF sur les atrocités commises "
                    "par le régime de Poutine en Russie et en Ukraine – qui a été partiellement "
                    "détruite lors d’une attaque gouvernementale contre le site web de "
                    "l’organisation."
                ),
                "description_en": (
                    "Restoring ARF's database on the atrocities committed by the Putin regime in "
                    "Russia and Ukraine, which was partly destroyed in a government attack on "
                    "the organisation's website."
                ),
            },
            {
                "title_fr": "Un film sur la «\xa0guerre contre la drogue\xa0» menée par la Russie",
                "title_en": "A film on Russia's “war on drugs”",
                "description_fr": (
                    "La production d’un film sur l’impact de la «\xa0guerre contre la "
                    "drogue\xa0» menée par la Russie."
                ),
                "description_en": (
                    "Producing a film on the impact of the “war on drugs” waged by Russia."
                ),
            },
        ],
    },
]

# Demo accounts, by email. Passwords are generated by the command, never stored here.
ACCOUNTS = [
    {
        "email": "secretariat@example.org",
        "full_name": "Demo Secretariat",
        "language": "en",
        "is_staff": True,
        "groups": ["Secretariat"],
        "memberships": [],
    },
    {
        "email": "accion-andina@example.org",
        "full_name": "Demo member of Acción Andina",
        "language": "es",
        "is_staff": False,
        "groups": [],
        "memberships": [("accion-andina", "admin")],
    },
    {
        "email": "reviewer@example.org",
        "full_name": "Demo Reviewer",
        "language": "en",
        "is_staff": False,
        "groups": ["Reviewer"],
        "memberships": [],
    },
]

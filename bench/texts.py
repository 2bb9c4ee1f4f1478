"""Texts for the benchmark's data set: sentences in the site's five languages, made from small
vocabularies so that a page reads like a page (and search finds stems), without a corpus."""

from __future__ import annotations

import random

# Subjects, verbs and objects per language; every sentence is "subject verb object, place."
WORDS = {
    "en": {
        "subjects": [
            "Peer educators",
            "Community health workers",
            "Young people who use drugs",
            "Women living with HIV",
            "Lawyers and activists",
            "Street outreach teams",
            "Local networks",
            "Sex workers' collectives",
        ],
        "verbs": [
            "organise workshops on",
            "document violations of",
            "campaign for",
            "train volunteers in",
            "open safe spaces for",
            "monitor access to",
            "publish reports on",
            "build coalitions around",
        ],
        "objects": [
            "harm reduction services",
            "drug policy reform",
            "access to naloxone",
            "opioid substitution therapy",
            "human rights in prisons",
            "decriminalisation of personal use",
            "hepatitis C treatment",
            "community-led monitoring",
        ],
        "places": ["in the capital", "in rural districts", "across the region", "online"],
        "titles": ["Voices for {o}", "{o}: a community response", "Together for {o}"],
    },
    "fr": {
        "subjects": [
            "Des pairs éducateurs",
            "Des agents de santé communautaires",
            "Des jeunes usagers de drogues",
            "Des femmes vivant avec le VIH",
            "Des juristes et militants",
            "Des équipes de rue",
            "Des réseaux locaux",
        ],
        "verbs": [
            "organisent des ateliers sur",
            "documentent les atteintes à",
            "militent pour",
            "forment des bénévoles à",
            "ouvrent des lieux sûrs pour",
            "surveillent l'accès à",
        ],
        "objects": [
            "la réduction des risques",
            "la réforme des politiques des drogues",
            "l'accès à la naloxone",
            "les traitements de substitution",
            "les droits humains en prison",
            "la dépénalisation de l'usage",
        ],
        "places": ["dans la capitale", "dans les zones rurales", "dans toute la région"],
        "titles": ["Des voix pour {o}", "{o} : une réponse communautaire", "Ensemble pour {o}"],
    },
    "es": {
        "subjects": [
            "Educadores de pares",
            "Promotoras de salud comunitaria",
            "Jóvenes que usan drogas",
            "Mujeres que viven con VIH",
            "Abogadas y activistas",
            "Equipos de calle",
        ],
        "verbs": [
            "organizan talleres sobre",
            "documentan violaciones de",
            "hacen campaña por",
            "capacitan voluntarios en",
            "abren espacios seguros para",
        ],
        "objects": [
            "la reducción de daños",
            "la reforma de la política de drogas",
            "el acceso a la naloxona",
            "los derechos humanos en las cárceles",
            "la despenalización del consumo",
        ],
        "places": ["en la capital", "en zonas rurales", "en toda la región", "en línea"],
        "titles": ["Voces por {o}", "{o}: una respuesta comunitaria", "Juntas por {o}"],
    },
    "pt": {
        "subjects": [
            "Educadores de pares",
            "Agentes comunitários de saúde",
            "Jovens que usam drogas",
            "Mulheres vivendo com HIV",
            "Advogadas e ativistas",
        ],
        "verbs": [
            "organizam oficinas sobre",
            "documentam violações de",
            "fazem campanha pela",
            "formam voluntários em",
            "abrem espaços seguros para",
        ],
        "objects": [
            "a redução de danos",
            "a reforma da política de drogas",
            "o acesso à naloxona",
            "os direitos humanos nas prisões",
            "a descriminalização do uso",
        ],
        "places": ["na capital", "nas zonas rurais", "em toda a região"],
        "titles": ["Vozes pela {o}", "{o}: uma resposta comunitária", "Juntas pela {o}"],
    },
    "ru": {
        "subjects": [
            "Равные консультанты",
            "Социальные работники",
            "Молодые люди, употребляющие наркотики",
            "Женщины, живущие с ВИЧ",
            "Юристы и активисты",
        ],
        "verbs": [
            "проводят семинары о",
            "документируют нарушения в сфере",
            "выступают за",
            "обучают волонтёров в области",
        ],
        "objects": [
            "снижении вреда",
            "реформе наркополитики",
            "доступе к налоксону",
            "заместительной терапии",
            "правах человека в тюрьмах",
        ],
        "places": ["в столице", "в сельских районах", "по всему региону"],
        "titles": ["Голоса о {o}", "{o}: ответ сообщества", "Вместе о {o}"],
    },
}
LANGUAGES = tuple(WORDS)


def sentence(rng: random.Random, language: str) -> str:
    words = WORDS[language]
    return (
        f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} "
        f"{rng.choice(words['objects'])} {rng.choice(words['places'])}."
    )


def paragraph(rng: random.Random, language: str, sentences: int = 4) -> str:
    return " ".join(sentence(rng, language) for _ in range(sentences))


def title(rng: random.Random, language: str) -> str:
    words = WORDS[language]
    text = rng.choice(words["titles"]).format(o=rng.choice(words["objects"]))
    return text[0].upper() + text[1:]

"""Departments of government: canonical names, abbreviations and predecessors."""

from __future__ import annotations

from mentormatch.vocab.lookup import Vocabulary

# canonical short name -> other spellings (full names, abbreviations, former names)
ALIASES: dict[str, tuple[str, ...]] = {
    "Cabinet Office": ("CO",),
    "HMT": ("HM Treasury", "Treasury", "Her Majesty's Treasury", "His Majesty's Treasury"),
    "Home Office": ("HO",),
    "MoJ": ("Ministry of Justice",),
    "MOD": ("Ministry of Defence",),
    "DfE": ("Department for Education",),
    "DfT": ("Department for Transport",),
    "DWP": ("Department for Work and Pensions",),
    "DHSC": ("Department of Health and Social Care", "DH", "Department of Health"),
    "FCDO": ("Foreign, Commonwealth and Development Office", "FCO", "Foreign and Commonwealth Office",
             "DFID", "Department for International Development"),
    "Defra": ("Department for Environment, Food and Rural Affairs",),
    "DBT": ("Department for Business and Trade", "DIT", "Department for International Trade"),
    "DESNZ": ("Department for Energy Security and Net Zero",),
    "DSIT": ("Department for Science, Innovation and Technology",),
    "DCMS": ("Department for Culture, Media and Sport", "Department for Digital, Culture, Media and Sport"),
    "MHCLG": ("Ministry of Housing, Communities and Local Government", "DLUHC",
              "Department for Levelling Up, Housing and Communities", "DCLG"),
    "NIO": ("Northern Ireland Office",),
    "UKEF": ("UK Export Finance",),
    "ONS": ("Office for National Statistics", "UKSA", "UK Statistics Authority", "ONS/UKSA"),
    "HMRC": ("HM Revenue and Customs", "Her Majesty's Revenue and Customs", "His Majesty's Revenue and Customs"),
    "GAD": ("Government Actuary's Department",),
    "FSA": ("Food Standards Agency",),
    "CMA": ("Competition and Markets Authority",),
    "Ofsted": (),
    "Ofqual": (),
    "Ofgem": (),
    "Ofwat": (),
    "NCA": ("National Crime Agency",),
    "CPS": ("Crown Prosecution Service",),
    "HM Land Registry": ("Land Registry", "HMLR"),
    "The National Archives": ("National Archives", "TNA"),
    "Scottish Government": ("SG", "Scot Gov"),
    "Welsh Government": ("WG", "Llywodraeth Cymru"),
    "NICS": ("Northern Ireland Civil Service", "NISRA", "Northern Ireland Statistics and Research Agency"),
    "UKHSA": ("UK Health Security Agency",),
    "Met Office": (),
    "VOA": ("Valuation Office Agency",),
    "DVLA": ("Driver and Vehicle Licensing Agency",),
}

# Abolished departments whose work went to several successors: report, never guess.
AMBIGUOUS: dict[str, str] = {
    "BEIS": "BEIS was split into DESNZ, DSIT and DBT in 2023",
    "Department for Business, Energy and Industrial Strategy":
        "BEIS was split into DESNZ, DSIT and DBT in 2023",
}
AMBIGUITIES = Vocabulary({name: () for name in AMBIGUOUS})


def department_vocabulary(extra: dict[str, str] | None = None) -> Vocabulary:
    """Return the department vocabulary, with any aliases from the config."""
    vocabulary = Vocabulary(ALIASES)
    return vocabulary.with_aliases(extra) if extra else vocabulary

"""The signed-in pages, one module per topic: grantees (``home``, ``organisation``,
``workplan``, ``agreement``, ``report``, ``attachments``, ``payments``), applicants
(``registration``, ``applications``), reviewers (``review``) and everyone's account (``accounts``).

Every query starts from what the person is entitled to (their organisations' rows, their own
assignments): another organisation's id is a 404, whatever the method.
"""

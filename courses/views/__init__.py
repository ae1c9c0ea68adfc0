"""Views of the learner's pages. The page models route to them and hold no
HTTP code themselves: learner.py (a course's overview, start and retake; a
lesson, completing it, its preview), quiz.py (a lesson's quiz) and search.py
(site search, routed by config/urls.py)."""

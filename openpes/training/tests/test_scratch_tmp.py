import time
from openpes.training.actions.certificates import issue_certificates, render_certificate_pdf
from openpes.training.tests.factories import CourseFactory, EventFactory
from openpes.accounts.tests.factories import UserFactory


def test_scratch(cast):
    course = CourseFactory(title_km="សេវាការងារផ្តោតលើអតិថិជន និងបរិយាប័ន្នសម្រាប់អ្នកស្វែងរកការងារគ្រប់រូប")
    person = UserFactory(counsellor=True, centre=cast.pursat, full_name="សុខ សុភា")
    [c] = issue_certificates(actor=None, kind="achievement", people=[person], course=course)
    t = time.perf_counter()
    for lang in ("km", "en"):
        pdf = render_certificate_pdf(c, language=lang)
        __import__("pathlib").Path(f"/tmp/scratch/c_{lang}.pdf").write_bytes(pdf)
    print("2 renders", time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(5):
        render_certificate_pdf(c, language="km")
    print("5 renders", time.perf_counter() - t)
    ev = EventFactory()
    [e] = issue_certificates(actor=cast.coordinator, kind="participation", people=[person], course=None, event=ev)
    __import__("pathlib").Path("/tmp/scratch/e_km.pdf").write_bytes(render_certificate_pdf(e, language="km"))

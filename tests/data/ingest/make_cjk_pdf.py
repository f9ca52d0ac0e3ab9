"""Regenerate `cjk_article.pdf` (shipped, so tests need no CJK font): a two-page article
with a title, a date line, a heading, page numbers, a paragraph running over the page break and a `[1]`
note marker. Run: .venv/bin/python tests/data/ingest/make_cjk_pdf.py"""
from pathlib import Path

from fpdf import FPDF

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
HERE = Path(__file__).parent

PARA1 = ("臺灣海峽的軍事平衡正逐漸改變，解放軍持續擴充海空軍力量，並在周邊海域頻繁舉行演習。"
         "美國與日本則加強在第一島鏈的部署，以維持區域穩定。[1]")
PARA2 = ("這一段落刻意寫得很長，使它跨越頁面邊界：" + "兩岸關係的發展牽動整個印太區域的安全，"
         * 12 + "各國都在密切觀察。")


class Paged(FPDF):
    def footer(self):               # a page number at each page bottom: page furniture
        self.set_y(-12)
        self.cell(0, 6, str(self.page_no()), align="C")


def main() -> None:
    pdf = Paged(format=(148, 210))
    pdf.add_font("noto", fname=FONT, collection_font_number=3)
    pdf.set_font("noto", size=11)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.multi_cell(0, 7, "臺海軍事平衡的新變化", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "發布日期：2022/05/17", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 7, "壹、前言", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, PARA1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_y(150)
    pdf.multi_cell(0, 7, PARA2, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(HERE / "cjk_article.pdf"))


if __name__ == "__main__":
    main()

//! The cell formats and fill colours shared by the template, its 填写说明 sheet and the error
//! report.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// Excel's built-in text number format, "@".
pub(super) const TEXT_FORMAT: u8 = 49;

pub(super) const RED: Color = Color::RGB(0xFFC7CE);
const YELLOW: Color = Color::RGB(0xFFEB9C);
const INPUT: Color = Color::RGB(0xFFF2CC);
const GREY: Color = Color::RGB(0xD9D9D9);

/// Every format the workbooks use, built once per workbook.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) instructions: Format,
    pub(super) label: Format,
    pub(super) value: Format,
    pub(super) value_text: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) date: Format,
    pub(super) bad: Format,
    pub(super) bad_text: Format,
    pub(super) bad_date: Format,
    pub(super) formula: Format,
    pub(super) bad_formula: Format,
    pub(super) reason_header: Format,
    pub(super) reason: Format,
    pub(super) section: Format,
    pub(super) table_head: Format,
    pub(super) wrap: Format,
    pub(super) wrap_text: Format,
}

impl Styles {
    pub(super) fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let text = Format::new().set_num_format_index(TEXT_FORMAT);
        let date = Format::new().set_num_format("yyyy-mm-dd");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            instructions: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(0xC00000)),
            label: border(Format::new().set_bold().set_align(FormatAlign::VerticalCenter)),
            value: border(Format::new().set_background_color(INPUT)),
            value_text: border(Format::new().set_background_color(INPUT).set_num_format_index(TEXT_FORMAT)),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(GREY)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            bad: Format::new().set_background_color(RED),
            bad_text: text.clone().set_background_color(RED),
            bad_date: date.clone().set_background_color(RED),
            formula: text.clone().set_background_color(YELLOW).set_quote_prefix(),
            bad_formula: text.clone().set_background_color(RED).set_quote_prefix(),
            text,
            date,
            reason_header: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0xC00000))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            reason: Format::new().set_font_color(Color::RGB(0xC00000)).set_text_wrap(),
            section: Format::new().set_bold().set_font_size(12),
            table_head: border(
                Format::new()
                    .set_bold()
                    .set_background_color(GREY)
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter)),
            wrap_text: border(
                Format::new().set_text_wrap().set_num_format_index(TEXT_FORMAT).set_align(FormatAlign::VerticalCenter),
            ),
        }
    }
}

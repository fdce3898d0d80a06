//! The guide's messages and remedies (解决方法) for problems in the template's header and for formula
//! cells, verbatim: what a clerk reads beside the cell.

pub const MSG_HEADER_INCOMPLETE: &str = "请把表头内容填写完整！";
pub const HINT_HEADER_INCOMPLETE: &str =
    "登录基层工会账号，依次点击“会员管理”-“会员信息”-“下载会员模板”，根据模板修改表头，或将内容复制到标准模板内使用。";
pub const MSG_UNION_NAME: &str = "工会名称不匹配！";
pub const HINT_UNION_NAME: &str = "1.检查表格内工会名称是否正确填写（此处为工会名称非单位名称）\n2.登录基层工会账号，依次点击“单位信息”-“工会组织信息”，复制“工会名称”填写至信息采集表内。";
pub const MSG_INCOME_BAND: &str = "职工平均月收入编码错误！";
pub const HINT_INCOME_BAND: &str = "该项分五档按档次填写阿拉伯数字“1-5”，其中“0-4999”档次填写“1”；“5000-19999”档次填写“2”；“20000-49999”档次填写“3”；“50000-99999”档次填写“4”；“100000以上”档次填写“5”。";
pub const MSG_UNIT_TYPE: &str = "单位类型填写错误！";
pub const HINT_UNIT_TYPE: &str = "该项若为“机关事业单位”请填“34”；若为“企业”请填“60”；“其他”请填“39”。";
pub const MSG_BRANCH: &str = "无效的领卡网点！";
pub const HINT_BRANCH: &str = "填报人必须在银行工作人员的指引下正确填写开卡网点编号。";
pub const MSG_SHENZHEN_TONG: &str = "是否深圳通请填写【是】或【否】！";
pub const HINT_SHENZHEN_TONG: &str = "请明确填写“是”或“否”。填“是”，银行将免费为会员服务卡加载深圳通功能。";
/// The guide's remedy for a cell holding a formula.
pub const HINT_FORMULA: &str = "在错误单元格右键点击“复制”，然后重新黏贴至该单元格，黏贴选项选择“值”。";

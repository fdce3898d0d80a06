-- 服务热线, listed in the help centre: the guide's §五（三） to start with; the city-level
-- supervisor edits them (app/src/api/help.rs), each change in the audit log.
CREATE TABLE hotlines (
    position    BIGINT PRIMARY KEY,
    label       TEXT NOT NULL,
    number      TEXT NOT NULL
);
INSERT INTO hotlines (position, label, number) VALUES
    (1, '工会热线', '12351'),
    (2, '会员信息采集及卡片办理业务', '83288060、83288565'),
    (3, '系统技术支持', '88135133');

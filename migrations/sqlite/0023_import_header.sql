-- Row 3 of an upload as the union filled it: 单位类型, 职工平均月收入, 领卡网点 and 是否加载深圳通
-- (1 = 是, 0 = 否), kept with the upload when its header is valid. A member records the upload it
-- came from (import_id), so the bank's review reads each member's 深圳通 choice from here.
ALTER TABLE imports ADD COLUMN unit_type TEXT;
ALTER TABLE imports ADD COLUMN income_band TEXT;
ALTER TABLE imports ADD COLUMN branch_code TEXT;
ALTER TABLE imports ADD COLUMN shenzhen_tong BIGINT;

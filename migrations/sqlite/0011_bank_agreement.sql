-- 批量开卡协议: the batch card agreement a grassroots union signs with a bank branch before it
-- may apply for cards (the guide's 四.1). Part of the union's info; both columns or neither.
ALTER TABLE unions ADD COLUMN agreement_branch TEXT;
ALTER TABLE unions ADD COLUMN agreement_signed_on TEXT;

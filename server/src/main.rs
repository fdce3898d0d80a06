//! `unioncard`: serve the application, run migrations, load the demo data.

use std::net::SocketAddr;

use app::{
    domain::calendar::Date,
    server::{db::DEFAULT_URL, Db},
};
use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use unioncard_server::{seed, serve, Settings};

#[derive(Parser)]
#[command(name = "unioncard", about = "会员服务卡：工会会员信息采集与会员服务卡办理")]
struct Cli {
    /// sqlite://path/to/file.db (default) or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL, global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve {
        /// Address to listen on; defaults to LEPTOS_SITE_ADDR or 127.0.0.1:3000.
        #[arg(long, env = "UNIONCARD_ADDR")]
        addr: Option<SocketAddr>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Fill an empty database with the demo city (idempotent).
    SeedDemo,
    /// Import a member list (.xlsx) into a grassroots union: all members or none.
    Import {
        /// The union's registered full name, as in B3 of the template.
        #[arg(long = "union")]
        union_name: String,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print one JSON object on stdout.
        #[arg(long)]
        json: bool,
        file: std::path::PathBuf,
    },
    /// The kept card counts (what every page shows).
    Counts {
        #[command(subcommand)]
        command: CountsCommand,
    },
    /// The working-day calendar (节假日日历) deadlines are counted with.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Uploaded member files (they hold full ID numbers).
    Uploads {
        #[command(subcommand)]
        command: UploadsCommand,
    },
    /// API tokens of the bank's systems (/api/bank/v1).
    BankToken {
        #[command(subcommand)]
        command: BankTokenCommand,
    },
}

#[derive(Subcommand)]
enum BankTokenCommand {
    /// Make a token of the bank of a bank account, acting as that account; prints it on stdout
    /// (the only time it is shown).
    Create {
        /// The bank account's login name.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "命令行创建")]
        name: String,
    },
}

#[derive(Subcommand)]
enum UploadsCommand {
    /// Drop the files past their time now, as every server does hourly: committed uploads after
    /// UNIONCARD_UPLOAD_RETENTION_DAYS (90), never-committed ones after a day. The records stay.
    Purge,
}

/// Days a committed upload's file is kept: `UNIONCARD_UPLOAD_RETENTION_DAYS`, or 90.
fn upload_retention_days() -> Result<i64, String> {
    match std::env::var("UNIONCARD_UPLOAD_RETENTION_DAYS") {
        Ok(days) => days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| *d >= 1)
            .ok_or_else(|| format!("UNIONCARD_UPLOAD_RETENTION_DAYS 应为不小于1的天数：{days}")),
        Err(_) => Ok(app::server::imports::DEFAULT_UPLOAD_RETENTION_DAYS),
    }
}

#[derive(Subcommand)]
enum CountsCommand {
    /// Recount every union's cards by state and compare: each difference is printed, and the
    /// command exits 1 if there is any.
    Check,
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print, as the first line, the deadline (YYYY-MM-DD) to hand out cards signed for on DATE;
    /// exit 1 when the calendar lacks a year it needs (日历未维护), 2 for a DATE that is not one.
    Due {
        /// The signing day, YYYY-MM-DD.
        date: String,
    },
    /// List a year's holidays and adjusted working days; exit 1 when the year has no calendar.
    Show {
        /// The year, YYYY.
        year: String,
    },
}

/// What `calendar` was asked about, checked before the database is opened: a bad argument
/// exits 2 with the usage in Chinese.
enum CalendarQuery {
    Due(Date),
    Show(i32),
}

impl CalendarCommand {
    fn query(&self) -> CalendarQuery {
        let usage = |message: String| -> ! {
            eprintln!("{message}");
            eprintln!("用法：unioncard calendar due YYYY-MM-DD（例如 2026-02-13）或 unioncard calendar show YYYY（例如 2026）");
            std::process::exit(2);
        };
        match self {
            CalendarCommand::Due { date } => match date.parse::<Date>() {
                Ok(d) => CalendarQuery::Due(d),
                Err(e) => usage(e.to_string()),
            },
            CalendarCommand::Show { year } => match year.parse::<i32>() {
                Ok(y) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && y >= 1 => {
                    CalendarQuery::Show(y)
                }
                _ => usage(format!("“{year}”不是有效的年份，请按“2026”的格式填写。")),
            },
        }
    }
}

/// Runs `calendar due` or `calendar show`; returns the exit code. What it prints on stdout goes
/// out in one write, so a reader that stops early (`| head -1`) does not break it.
async fn calendar(db: &Db, query: CalendarQuery) -> Result<i32, String> {
    use std::{fmt::Write as _, io::Write as _};

    use app::{
        api::calendar::{CalendarYear, DueDate},
        domain::calendar::DISTRIBUTION_WORKING_DAYS,
        server::calendar,
    };
    let failed = |e: sqlx::Error| format!("读取节假日日历失败：{e}");
    let mut out = String::new();
    match query {
        CalendarQuery::Due(signed) => {
            match calendar::due_date(db, signed, DISTRIBUTION_WORKING_DAYS).await.map_err(failed)? {
                Ok((due, years)) => {
                    let years = years.into_iter().map(CalendarYear::from).collect();
                    let d = DueDate { signed, due, working_days: DISTRIBUTION_WORKING_DAYS, years };
                    let _ = writeln!(out, "{due}");
                    let _ = writeln!(
                        out,
                        "{signed}（{}）签收，签收后第{}个工作日为{due}（{}），{}。",
                        signed.weekday().label(),
                        d.working_days,
                        due.weekday().label(),
                        d.basis()
                    );
                }
                Err(gap) => {
                    eprintln!("{}", gap.message());
                    return Ok(1);
                }
            }
        }
        CalendarQuery::Show(year) => {
            let years = calendar::years(db).await.map_err(failed)?;
            let Some(row) = years.into_iter().find(|y| y.year == year) else {
                eprintln!("{year}年的节假日日历未维护。");
                return Ok(1);
            };
            let y = CalendarYear::from(row);
            let use_note = if y.published { "" } else { "（计算期限时仍视为日历未维护）" };
            let _ = writeln!(
                out,
                "{year}年：{}{use_note}；来源：{}；放假{}天，调休上班{}天。",
                y.status(),
                y.source(),
                y.holidays,
                y.adjusted_workdays
            );
            for d in calendar::days_of(db, year).await.map_err(failed)? {
                let day = d.day;
                let _ = writeln!(out, "{} {} {} {}", day.date, day.date.weekday().label(), day.kind.label(), day.name);
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    Ok(0)
}

async fn open(url: &str) -> Result<Db, String> {
    let db = Db::connect(url).await.map_err(|e| format!("无法连接数据库：{e}"))?;
    db.migrate().await.map_err(|e| format!("数据库迁移失败：{e}"))?;
    Ok(db)
}

/// `unioncard counts check`: the kept card counts against the records; the exit code (0: they agree).
async fn counts_check(db: &Db) -> Result<i32, String> {
    let differences = app::server::cards::check_counts(db).await.map_err(|e| format!("核对办卡统计失败：{e}"))?;
    let (members, cards) = app::server::cards::unpaired(db, 100).await.map_err(|e| format!("核对办卡统计失败：{e}"))?;
    let subtree = app::server::subtree::check(db).await.map_err(|e| format!("核对办卡统计失败：{e}"))?;
    let progress = app::server::unions::check_progress(db).await.map_err(|e| format!("核对办卡统计失败：{e}"))?;
    if differences.is_empty() && members.is_empty() && cards.is_empty() && subtree.is_empty() && progress.is_empty() {
        println!("办卡统计与会员记录一致。");
        return Ok(0);
    }
    for d in &differences {
        println!("{}（{}）{}：统计 {}，实际 {}", d.union_name, d.union, d.state.label(), d.kept, d.counted);
    }
    for d in &subtree {
        let what = app::server::subtree::figure_label(&d.kind, &d.key);
        println!("{}（{}）及其下级{what}：统计 {}，逐个工会合计 {}", d.node_name, d.node, d.kept, d.summed);
    }
    for (union, facet, kept, counted) in &progress {
        let what = app::server::subtree::figure_label("union_progress", facet);
        println!("工会（{union}）{what}：统计 {kept}，实际 {counted}");
    }
    let ids = |v: &[app::domain::ids::MemberId]| v.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("、");
    if !members.is_empty() {
        println!("没有会员服务卡记录的会员（编号）：{}", ids(&members));
    }
    if !cards.is_empty() {
        println!("没有对应会员的会员服务卡记录（会员编号）：{}", ids(&cards));
    }
    let total = differences.len() + members.len() + cards.len() + subtree.len() + progress.len();
    println!("共 {total} 处不一致。");
    Ok(1)
}

async fn run(cli: Cli) -> Result<(), String> {
    let calendar_query = match &cli.command {
        Some(Command::Calendar { command }) => Some(command.query()),
        _ => None,
    };
    let db = open(&cli.database_url).await?;
    // the one way out: the database closed first (`Db::close`; the server's `db` moves into it)
    let closing = db.clone();
    let mut exit_code = 0;
    match cli.command.unwrap_or(Command::Serve { addr: None }) {
        Command::Calendar { .. } => {
            let query = calendar_query.expect("read above");
            exit_code = calendar(&db, query).await?;
        }
        Command::Import { union_name, dry_run, json, file } => {
            let outcome = unioncard_server::cli_import::run(&db, &union_name, &file, dry_run).await;
            if json {
                println!("{}", outcome.json);
            } else {
                print!("{}", unioncard_server::cli_import::describe(&outcome));
            }
            exit_code = outcome.exit;
        }
        Command::Counts { command: CountsCommand::Check } => exit_code = counts_check(&db).await?,
        Command::BankToken { command: BankTokenCommand::Create { user, name } } => {
            let found = app::server::auth::login_record(&db, &user).await.map_err(|e| format!("查询账号失败：{e}"))?;
            let account = match found {
                Some((u, _)) if u.role == app::domain::role::Role::Bank && !u.disabled => u,
                Some(_) => return Err(format!("账号 {user} 不是启用中的银行账号。")),
                None => return Err(format!("没有账号 {user}。")),
            };
            let bank = account.bank_id.ok_or_else(|| format!("账号 {user} 没有所属银行。"))?;
            let (_, token) = app::server::bank_tokens::create(&db, bank, account.id, &name)
                .await
                .map_err(|e| format!("创建令牌失败：{e}"))?;
            println!("{token}");
        }
        Command::Migrate => {
            println!("数据库已是最新结构。");
        }
        Command::Uploads { command: UploadsCommand::Purge } => {
            let days = upload_retention_days()?;
            let n = app::server::imports::purge_uploads(&db, app::server::db::now(), days)
                .await
                .map_err(|e| format!("删除过期上传文件失败：{e}"))?;
            println!("已删除 {n} 个超过保存期限的上传文件（已导入的保存{days}天，未导入的保存1天），导入记录保留。");
        }
        Command::SeedDemo => match seed::seed_demo(&db).await.map_err(|e| format!("写入演示数据失败：{e}"))? {
            seed::Outcome::Seeded => println!("已写入演示数据。演示账号密码均为 {}。", seed::DEMO_PASSWORD),
            seed::Outcome::AlreadyHasData => println!("数据库中已有账号，未写入演示数据。"),
        },
        Command::Serve { addr } => {
            let conf = get_configuration(None).map_err(|e| format!("读取站点配置失败：{e}"))?;
            let mut options = conf.leptos_options;
            if options.output_name.is_empty() {
                // started without cargo-leptos: the bundle it builds is named after the project
                options.output_name = "unioncard".into();
            }
            // A build by cargo-leptos names its files with their hashes and says so in hash.txt
            // beside the binary; a copied binary without it serves the plain names.
            if let Ok(exe) = std::env::current_exe() {
                options.hash_files = unioncard_server::assets::built_with_hashes(&exe);
            }
            if let Some(a) = addr {
                options.site_addr = a;
            }
            let addr = options.site_addr;
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("无法监听 {addr}：{e}"))?;
            let secure = std::env::var("UNIONCARD_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true");
            tracing::info!("listening on http://{addr}");
            println!("会员服务卡已启动：http://{addr}");
            let trusted_proxy = match std::env::var("UNIONCARD_TRUSTED_PROXY") {
                Ok(name) if !name.trim().is_empty() => Some(
                    axum::http::HeaderName::try_from(name.trim())
                        .map_err(|_| format!("UNIONCARD_TRUSTED_PROXY 不是有效的请求头名称：{name}"))?,
                ),
                _ => None,
            };
            let upload_retention_days = upload_retention_days()?;
            let sms_url = std::env::var("UNIONCARD_SMS_URL").ok().filter(|u| !u.trim().is_empty());
            match &sms_url {
                Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => {
                    return Err(format!("UNIONCARD_SMS_URL 须以 http:// 或 https:// 开头：{u}"));
                }
                Some(_) => tracing::info!("SMS codes go to the gateway at UNIONCARD_SMS_URL"),
                None => tracing::warn!("UNIONCARD_SMS_URL not set: SMS codes are written to this log (demo)"),
            }
            let settings = Settings {
                secure_cookies: secure,
                trusted_proxy,
                upload_retention_days,
                sms_url,
                ..Settings::new(options)
            };
            serve(listener, db, settings).await.map_err(|e| format!("服务异常退出：{e}"))?;
        }
    }
    closing.close().await;
    if exit_code != 0 {
        std::process::exit(exit_code);
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = matches!(cli.command, Some(Command::Import { json: true, .. }));
    let importing = matches!(cli.command, Some(Command::Import { .. }));
    if let Err(e) = run(cli).await {
        if json {
            // `--json` promises one object on stdout even when the database is unreachable
            println!(
                "{}",
                serde_json::json!({"rows": 0, "imported": 0, "errors": [
                {"row": null, "column": null, "field": "数据库", "code": "database_unavailable", "message": e, "hint": ""}]})
            );
            std::process::exit(2);
        }
        eprintln!("{e}");
        std::process::exit(if importing { 2 } else { 1 });
    }
}

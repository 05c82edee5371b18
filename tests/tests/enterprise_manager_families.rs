//! The Enterprise Manager families scripts automate (jobs and their actions and includes, backup and
//! task sessions, backups, restore points, VM restore points, repositories, managed servers, the
//! query service) against a wiremock server on 127.0.0.1, every operation in XML and in JSON:
//! method, path, query, session headers and body on the wire, and the documented bodies decoded.

mod support;

use std::future::Future;
use std::pin::Pin;

use serde_json::json;
use support::em::*;
use veeam_api::enterprise_manager::models::{
    BackupJobCloneInfo, BackupJobCloneInfoRequired, BackupJobSession, CreateObjectInJobSpec,
    CreateObjectInJobSpecRequired, EntityRef, EntityReferences, GuestFsIndexingOptions, GuestProcessingOptions, Job,
    JobCloneSpec, JobType, ManagedServer, ManagedServers, QueryResult, Repository, SessionResult, Task, TaskState,
    VmRestorePoint, VssSnapshotOptions,
};
use veeam_api::enterprise_manager::{Client, Error};
use veeam_api::filter::field;
use veeam_api::xml::FromXml;
use veeam_api::{Format, Uuid};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request};

const BOTH: [Format; 2] = [Format::Xml, Format::Json];
const JOB: &str = "5658281f-625e-4627-89dd-d2a0c48be99e";
const INCLUDE: &str = "0493ea16-2c1f-4d02-b74b-994bd438b89a";
const SESSION_ID: &str = "d46e39e0-1131-4585-91a7-e828ce7eafae";
const TASK_SESSION: &str = "88767486-89d6-4340-92f0-2ad615a8f21b";
const BACKUP: &str = "c213fbfa-7b9e-4772-9ddc-3ecbdcc3fc70";
const RESTORE_POINT: &str = "e729979a-fcc2-4880-a420-9291ba64aa2a";
const VM_RESTORE_POINT: &str = "5acac742-ee17-4080-8e89-a6ea67adfcf3";
const REPOSITORY: &str = "bffeb9f5-1bdd-4bbd-9299-6fcb7c37bdf6";
const MANAGED_SERVER: &str = "a5352877-3b99-4e2a-8700-400cb3eefb56";

fn id(text: &str) -> Uuid {
    text.parse().unwrap()
}

/// A documented XML body wrapped in a list document `<root>`, as the response in `format`.
fn listed<T: FromXml + serde::Serialize>(root: &str, examples: &[&str], format: Format) -> Body {
    let namespace = " xmlns=\"http://www.veeam.com/ent/v1.0\"";
    let items: String = examples.iter().map(|e| e.replace(namespace, "")).collect();
    body_in::<T>(&format!("<{root}{namespace}>{items}</{root}>"), format)
}

/// A reference list of `kind` resources at `/api/{collection}/{id}`.
fn references(kind: &str, collection: &str, ids: &[&str], format: Format) -> Body {
    let refs: String = ids
        .iter()
        .map(|id| {
            format!(
                "<Ref Type=\"{kind}Reference\" Href=\"https://localhost:9398/api/{collection}/{id}\" \
                 Name=\"{kind} {id}\" UID=\"urn:veeam:{kind}:{id}\"><Links/></Ref>"
            )
        })
        .collect();
    let xml_text = format!("<EntityReferences xmlns=\"http://www.veeam.com/ent/v1.0\">{refs}</EntityReferences>");
    body_in::<EntityReferences>(&xml_text, format)
}

/// The IDs of a reference list, from each reference's URN.
fn ids_of(list: EntityReferences) -> String {
    let ids: Vec<String> = list.refs.unwrap_or_default().iter().map(|r| r.id().unwrap().to_string()).collect();
    ids.join(",")
}

fn task_started(format: Format) -> Body {
    body_in::<Task>(example!("em-job-start.response.xml"), format)
}

fn job_cases() -> Vec<Case> {
    let base = format!("/api/jobs/{JOB}");
    let action = |name: &'static str, call: Call, query: &'static str| Case {
        name,
        call,
        method: "POST",
        path: base.clone(),
        query: Some(query),
        status: 202,
        response: Some(task_started),
        expected: "task-1 Running".into(),
    };
    vec![
        Case {
            name: "list jobs",
            call: |c| Box::pin(async move { c.list_jobs().await.map(ids_of) }),
            method: "GET",
            path: "/api/jobs".into(),
            query: None,
            status: 200,
            response: Some(|f| references("Job", "jobs", &[JOB, INCLUDE], f)),
            expected: format!("{JOB},{INCLUDE}"),
        },
        Case {
            name: "list job entities",
            call: |c| {
                Box::pin(async move {
                    c.list_job_entities().await.map(|jobs| {
                        let names: Vec<String> = jobs.job.unwrap().into_iter().map(|j| j.name.unwrap()).collect();
                        names.join(",")
                    })
                })
            },
            method: "GET",
            path: "/api/jobs".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::Jobs>(
                    "Jobs",
                    &[
                        example!("em-job-backup-entity.resource.xml"),
                        example!("em-job-immediate-copy-entity.response.xml"),
                    ],
                    f,
                )
            }),
            expected: "DB Backup,Immediate Backup Copy Job".into(),
        },
        Case {
            name: "get job reference",
            call: |c| Box::pin(async move { c.get_job(id(JOB)).await.map(|r| r.id().unwrap().to_string()) }),
            method: "GET",
            path: base.clone(),
            query: None,
            status: 200,
            response: Some(|f| {
                let reference = format!(
                    "<EntityRef xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"JobReference\" \
                     Href=\"https://srv12.tech.local:9398/api/jobs/{JOB}\" Name=\"DB Backup\" UID=\"urn:veeam:Job:{JOB}\"/>"
                );
                body_in::<EntityRef>(&reference, f)
            }),
            expected: JOB.into(),
        },
        Case {
            name: "get job entity",
            call: |c| {
                Box::pin(async move {
                    c.get_job_entity(id(JOB)).await.map(|job| {
                        let info = job.job_info.unwrap().backup_job_info.unwrap();
                        let include = &info.includes.unwrap()[0];
                        let daily = job.job_schedule_options.unwrap().standart.unwrap().options_daily.unwrap();
                        format!(
                            "{:?} {} {} {}",
                            job.job_type.unwrap(),
                            include.name.as_deref().unwrap(),
                            daily.days.unwrap().len(),
                            info.simple_retention_policy.unwrap().retain_cycles.unwrap()
                        )
                    })
                })
            },
            method: "GET",
            path: base.clone(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<Job>(example!("em-job-backup-entity.resource.xml"), f)),
            expected: "Backup sqlsrv03 7 5".into(),
        },
        action("start job", |c| Box::pin(async move { c.start_job(id(JOB)).await.map(summary) }), "action=start"),
        action("stop job", |c| Box::pin(async move { c.stop_job(id(JOB)).await.map(summary) }), "action=stop"),
        action("retry job", |c| Box::pin(async move { c.retry_job(id(JOB)).await.map(summary) }), "action=retry"),
        action("sync job", |c| Box::pin(async move { c.sync_job(id(JOB)).await.map(summary) }), "action=sync"),
        action(
            "toggle job schedule",
            |c| Box::pin(async move { c.toggle_job_schedule(id(JOB)).await.map(summary) }),
            "action=toggleScheduleEnabled",
        ),
        Case {
            name: "list job includes",
            call: |c| {
                Box::pin(async move {
                    c.list_job_includes(id(JOB)).await.map(|list| {
                        let include = &list.object_in_job.unwrap()[0];
                        format!("{} {}", include.object_in_job_id.unwrap(), include.id().unwrap())
                    })
                })
            },
            method: "GET",
            path: format!("{base}/includes"),
            query: None,
            status: 200,
            response: Some(|f| {
                let job = example!("em-job-backup-entity.resource.xml");
                let start = job.find("<ObjectInJob ").unwrap();
                let end = job.find("</ObjectInJob>").unwrap() + "</ObjectInJob>".len();
                listed::<veeam_api::enterprise_manager::models::ObjectsInJob>("ObjectsInJob", &[&job[start..end]], f)
            }),
            expected: format!("{INCLUDE} {INCLUDE}"),
        },
        Case {
            name: "get job include",
            call: |c| {
                Box::pin(async move {
                    c.get_job_include(id(JOB), id(INCLUDE)).await.map(|include| {
                        let options = include.guest_processing_options.unwrap();
                        let linux = options.linux_guest_fs_indexing_options.unwrap();
                        format!("{} {}", include.display_name.unwrap(), linux.excluded_indexing_folders.unwrap().len())
                    })
                })
            },
            method: "GET",
            path: format!("{base}/includes/{INCLUDE}"),
            query: None,
            status: 200,
            response: Some(|f| {
                let job = example!("em-job-backup-entity.resource.xml");
                let start = job.find("<ObjectInJob ").unwrap();
                let end = job.find("</ObjectInJob>").unwrap() + "</ObjectInJob>".len();
                let include = job[start..end].replacen(
                    "<ObjectInJob ",
                    "<ObjectInJob xmlns=\"http://www.veeam.com/ent/v1.0\" ",
                    1,
                );
                body_in::<veeam_api::enterprise_manager::models::ObjectInJob>(&include, f)
            }),
            expected: "sqlsrv03 7".into(),
        },
        Case {
            name: "delete job include",
            call: |c| Box::pin(async move { c.delete_job_include(id(JOB), id(INCLUDE)).await.map(summary) }),
            method: "DELETE",
            path: format!("{base}/includes/{INCLUDE}"),
            query: None,
            status: 202,
            response: Some(task_started),
            expected: "task-1 Running".into(),
        },
        Case {
            name: "list job backup sessions",
            call: |c| Box::pin(async move { c.list_job_backup_sessions(id(JOB)).await.map(ids_of) }),
            method: "GET",
            path: format!("{base}/backupSessions"),
            query: None,
            status: 200,
            response: Some(|f| references("BackupJobSession", "backupSessions", &[SESSION_ID], f)),
            expected: SESSION_ID.into(),
        },
    ]
}

fn summary(task: Task) -> String {
    format!("{} {:?}", task.task_id.unwrap(), task.state.unwrap())
}

fn session_cases() -> Vec<Case> {
    vec![
        Case {
            name: "list backup sessions",
            call: |c| Box::pin(async move { c.list_backup_sessions().await.map(ids_of) }),
            method: "GET",
            path: "/api/backupSessions".into(),
            query: None,
            status: 200,
            response: Some(|f| references("BackupJobSession", "backupSessions", &[SESSION_ID], f)),
            expected: SESSION_ID.into(),
        },
        Case {
            name: "list backup session entities",
            call: |c| {
                Box::pin(async move {
                    c.list_backup_session_entities().await.map(|list| {
                        let session = &list.backup_job_session.unwrap()[0];
                        format!("{:?} {}", session.result.clone().unwrap(), session.progress.unwrap())
                    })
                })
            },
            method: "GET",
            path: "/api/backupSessions".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::BackupJobSessions>(
                    "BackupJobSessions",
                    &[example!("em-backupsession-entity.resource.xml")],
                    f,
                )
            }),
            expected: "Success 100".into(),
        },
        Case {
            name: "get backup session reference",
            call: |c| {
                Box::pin(async move { c.get_backup_session(id(SESSION_ID)).await.map(|r| r.id().unwrap().to_string()) })
            },
            method: "GET",
            path: format!("/api/backupSessions/{SESSION_ID}"),
            query: None,
            status: 200,
            response: Some(|f| {
                let text = format!(
                    "<EntityRef xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"BackupJobSessionReference\" \
                     Href=\"https://localhost:9398/api/backupSessions/{SESSION_ID}\" UID=\"urn:veeam:BackupJobSession:{SESSION_ID}\"/>"
                );
                body_in::<EntityRef>(&text, f)
            }),
            expected: SESSION_ID.into(),
        },
        Case {
            name: "get backup session entity",
            call: |c| {
                Box::pin(async move {
                    c.get_backup_session_entity(id(SESSION_ID)).await.map(|session| {
                        let job = veeam_api::ids::urn_id(session.job_uid.as_ref().unwrap().as_str()).unwrap();
                        format!("{job} {} {}", session.end_time_utc.unwrap(), session.is_retry.unwrap())
                    })
                })
            },
            method: "GET",
            path: format!("/api/backupSessions/{SESSION_ID}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<BackupJobSession>(example!("em-backupsession-entity.resource.xml"), f)),
            expected: "4856ab37-2235-45e8-affe-d515878b01a9 2014-10-19T05:40:48Z false".into(),
        },
        Case {
            name: "list the task sessions of a backup session",
            call: |c| Box::pin(async move { c.list_backup_session_task_sessions(id(SESSION_ID)).await.map(ids_of) }),
            method: "GET",
            path: format!("/api/backupSessions/{SESSION_ID}/taskSessions"),
            query: None,
            status: 200,
            response: Some(|f| references("BackupTaskSession", "backupTaskSessions", &[TASK_SESSION], f)),
            expected: TASK_SESSION.into(),
        },
        Case {
            name: "list backup task sessions",
            call: |c| Box::pin(async move { c.list_backup_task_sessions().await.map(ids_of) }),
            method: "GET",
            path: "/api/backupTaskSessions".into(),
            query: None,
            status: 200,
            response: Some(|f| references("BackupTaskSession", "backupTaskSessions", &[TASK_SESSION], f)),
            expected: TASK_SESSION.into(),
        },
        Case {
            name: "list backup task session entities",
            call: |c| {
                Box::pin(async move {
                    c.list_backup_task_session_entities().await.map(|list| {
                        let session = &list.backup_task_session.unwrap()[0];
                        format!("{} {}", session.vm_display_name.as_deref().unwrap(), session.total_size.unwrap())
                    })
                })
            },
            method: "GET",
            path: "/api/backupTaskSessions".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::BackupTaskSessions>(
                    "BackupTaskSessions",
                    &[example!("em-backuptasksession-entity.resource.xml")],
                    f,
                )
            }),
            expected: "srv04 64424509440".into(),
        },
        Case {
            name: "get backup task session reference",
            call: |c| {
                Box::pin(async move {
                    c.get_backup_task_session(id(TASK_SESSION)).await.map(|r| r.id().unwrap().to_string())
                })
            },
            method: "GET",
            path: format!("/api/backupTaskSessions/{TASK_SESSION}"),
            query: None,
            status: 200,
            response: Some(|f| {
                let text = format!(
                    "<EntityRef xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"BackupTaskSessionReference\" \
                     Href=\"https://localhost:9398/api/backupTaskSessions/{TASK_SESSION}\"/>"
                );
                body_in::<EntityRef>(&text, f)
            }),
            expected: TASK_SESSION.into(),
        },
        Case {
            name: "get backup task session entity",
            call: |c| {
                Box::pin(async move {
                    c.get_backup_task_session_entity(id(TASK_SESSION))
                        .await
                        .map(|s| format!("{} {:?}", s.state.unwrap(), s.reason.unwrap()))
                })
            },
            method: "GET",
            path: format!("/api/backupTaskSessions/{TASK_SESSION}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                body_in::<veeam_api::enterprise_manager::models::BackupTaskSession>(
                    example!("em-backuptasksession-entity.resource.xml"),
                    f,
                )
            }),
            expected: "Completed \"\"".into(),
        },
    ]
}

fn backup_cases() -> Vec<Case> {
    vec![
        Case {
            name: "list backups",
            call: |c| Box::pin(async move { c.list_backups().await.map(ids_of) }),
            method: "GET",
            path: "/api/backups".into(),
            query: None,
            status: 200,
            response: Some(|f| references("Backup", "backups", &[BACKUP], f)),
            expected: BACKUP.into(),
        },
        Case {
            name: "list backup entities",
            call: |c| {
                Box::pin(async move {
                    c.list_backup_entities().await.map(|list| list.backup.unwrap()[0].backup_type.clone().unwrap())
                })
            },
            method: "GET",
            path: "/api/backups".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                let backup = example!("em-backup-entity.resource.xml")
                    .replace(" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"", "");
                listed::<veeam_api::enterprise_manager::models::Backups>("Backups", &[&backup], f)
            }),
            expected: "ParentBackup".into(),
        },
        Case {
            name: "get backup reference",
            call: |c| {
                Box::pin(async move {
                    c.get_backup(id(BACKUP)).await.map(|r| format!("{} {}", r.id().unwrap(), r.links.unwrap().len()))
                })
            },
            method: "GET",
            path: format!("/api/backups/{BACKUP}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<EntityRef>(example!("em-backup-ref.resource.xml"), f)),
            expected: format!("{BACKUP} 4"),
        },
        Case {
            name: "get backup entity",
            call: |c| Box::pin(async move { c.get_backup_entity(id(BACKUP)).await.map(|b| b.platform.unwrap()) }),
            method: "GET",
            path: format!("/api/backups/{BACKUP}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                body_in::<veeam_api::enterprise_manager::models::Backup>(example!("em-backup-entity.resource.xml"), f)
            }),
            expected: "CustomPlatform".into(),
        },
        Case {
            name: "list the restore points of a backup",
            call: |c| Box::pin(async move { c.list_backup_restore_points(id(BACKUP)).await.map(ids_of) }),
            method: "GET",
            path: format!("/api/backups/{BACKUP}/restorePoints"),
            query: None,
            status: 200,
            response: Some(|f| references("RestorePoint", "restorePoints", &[RESTORE_POINT], f)),
            expected: RESTORE_POINT.into(),
        },
        Case {
            name: "list restore points",
            call: |c| Box::pin(async move { c.list_restore_points().await.map(ids_of) }),
            method: "GET",
            path: "/api/restorePoints".into(),
            query: None,
            status: 200,
            response: Some(|f| references("RestorePoint", "restorePoints", &[RESTORE_POINT], f)),
            expected: RESTORE_POINT.into(),
        },
        Case {
            name: "list restore point entities",
            call: |c| {
                Box::pin(async move {
                    c.list_restore_point_entities()
                        .await
                        .map(|list| list.restore_point.unwrap()[0].backup_date_utc.unwrap().to_string())
                })
            },
            method: "GET",
            path: "/api/restorePoints".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::RestorePoints>(
                    "RestorePoints",
                    &[example!("em-restorepoint-entity.resource.xml")],
                    f,
                )
            }),
            expected: "2016-09-20T14:59:02.777Z".into(),
        },
        Case {
            name: "get restore point reference",
            call: |c| {
                Box::pin(
                    async move { c.get_restore_point(id(RESTORE_POINT)).await.map(|r| r.id().unwrap().to_string()) },
                )
            },
            method: "GET",
            path: format!("/api/restorePoints/{RESTORE_POINT}"),
            query: None,
            status: 200,
            response: Some(|f| {
                let text = format!(
                    "<EntityRef xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"RestorePointReference\" \
                     UID=\"urn:veeam:RestorePoint:{RESTORE_POINT}\"/>"
                );
                body_in::<EntityRef>(&text, f)
            }),
            expected: RESTORE_POINT.into(),
        },
        Case {
            name: "get restore point entity",
            call: |c| {
                Box::pin(async move {
                    c.get_restore_point_entity(id(RESTORE_POINT)).await.map(|p| p.links.unwrap().len().to_string())
                })
            },
            method: "GET",
            path: format!("/api/restorePoints/{RESTORE_POINT}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                body_in::<veeam_api::enterprise_manager::models::RestorePoint>(
                    example!("em-restorepoint-entity.resource.xml"),
                    f,
                )
            }),
            expected: "6".into(),
        },
        Case {
            name: "list the VM restore points of a restore point",
            call: |c| {
                Box::pin(async move { c.list_restore_point_vm_restore_points(id(RESTORE_POINT)).await.map(ids_of) })
            },
            method: "GET",
            path: format!("/api/restorePoints/{RESTORE_POINT}/vmRestorePoints"),
            query: None,
            status: 200,
            response: Some(|f| references("VmRestorePoint", "vmRestorePoints", &[VM_RESTORE_POINT], f)),
            expected: VM_RESTORE_POINT.into(),
        },
        Case {
            name: "list VM restore points",
            call: |c| Box::pin(async move { c.list_vm_restore_points().await.map(ids_of) }),
            method: "GET",
            path: "/api/vmRestorePoints".into(),
            query: None,
            status: 200,
            response: Some(|f| references("VmRestorePoint", "vmRestorePoints", &[VM_RESTORE_POINT], f)),
            expected: VM_RESTORE_POINT.into(),
        },
        Case {
            name: "list VM restore point entities",
            call: |c| {
                Box::pin(async move {
                    c.list_vm_restore_point_entities()
                        .await
                        .map(|list| list.vm_restore_point.unwrap()[0].hierarchy_obj_ref.clone().unwrap())
                })
            },
            method: "GET",
            path: "/api/vmRestorePoints".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::VmRestorePoints>(
                    "VmRestorePoints",
                    &[example!("em-vmrestorepoint-entity.resource.xml")],
                    f,
                )
            }),
            expected: "urn:HyperV:Vm:757baa80-d19b-4607-a592-98e15d45d9b2.e3e47ce3-ace6-4f06-9aaf-f52cf2e11234".into(),
        },
        Case {
            name: "get VM restore point reference",
            call: |c| {
                Box::pin(async move {
                    c.get_vm_restore_point(id(VM_RESTORE_POINT))
                        .await
                        .map(|r| format!("{} {}", r.id().unwrap(), r.links.unwrap().len()))
                })
            },
            method: "GET",
            path: format!("/api/vmRestorePoints/{VM_RESTORE_POINT}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<EntityRef>(example!("em-vmrestorepoint-ref.resource.xml"), f)),
            expected: format!("{VM_RESTORE_POINT} 4"),
        },
        Case {
            name: "get VM restore point entity",
            call: |c| {
                Box::pin(async move {
                    c.get_vm_restore_point_entity(id(VM_RESTORE_POINT)).await.map(|p: VmRestorePoint| {
                        let restore = p.links.unwrap().into_iter().find(|l| l.rel == "Restore").unwrap();
                        format!("{} {}", p.point_type.unwrap(), restore.href)
                    })
                })
            },
            method: "GET",
            path: format!("/api/vmRestorePoints/{VM_RESTORE_POINT}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<VmRestorePoint>(example!("em-vmrestorepoint-entity.resource.xml"), f)),
            expected: format!("Increment https://localhost:9398/api/vmRestorePoints/{VM_RESTORE_POINT}?action=restore"),
        },
    ]
}

fn infrastructure_cases() -> Vec<Case> {
    vec![
        Case {
            name: "list repositories",
            call: |c| Box::pin(async move { c.list_repositories().await.map(ids_of) }),
            method: "GET",
            path: "/api/repositories".into(),
            query: None,
            status: 200,
            response: Some(|f| references("Repository", "repositories", &[REPOSITORY], f)),
            expected: REPOSITORY.into(),
        },
        Case {
            name: "list repository entities",
            call: |c| {
                Box::pin(async move {
                    c.list_repository_entities()
                        .await
                        .map(|list| list.repository.unwrap()[0].free_space.unwrap().to_string())
                })
            },
            method: "GET",
            path: "/api/repositories".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<veeam_api::enterprise_manager::models::Repositories>(
                    "Repositories",
                    &[example!("em-repository-entity.resource.xml")],
                    f,
                )
            }),
            expected: "881812750336".into(),
        },
        Case {
            name: "get repository reference",
            call: |c| Box::pin(async move { c.get_repository(id(REPOSITORY)).await.map(|r| r.name.unwrap()) }),
            method: "GET",
            path: format!("/api/repositories/{REPOSITORY}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<EntityRef>(example!("em-repository-ref.resource.xml"), f)),
            expected: "Backup Volume 01".into(),
        },
        Case {
            name: "get repository entity",
            call: |c| {
                Box::pin(async move {
                    c.get_repository_entity(id(REPOSITORY))
                        .await
                        .map(|r: Repository| format!("{} {}", r.capacity.unwrap(), r.kind.unwrap()))
                })
            },
            method: "GET",
            path: format!("/api/repositories/{REPOSITORY}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<Repository>(example!("em-repository-entity.resource.xml"), f)),
            expected: "1079639011328 WindowsLocal".into(),
        },
        Case {
            name: "list managed servers",
            call: |c| Box::pin(async move { c.list_managed_servers().await.map(ids_of) }),
            method: "GET",
            path: "/api/managedServers".into(),
            query: None,
            status: 200,
            response: Some(|f| references("ManagedServer", "managedServers", &[MANAGED_SERVER], f)),
            expected: MANAGED_SERVER.into(),
        },
        Case {
            name: "list managed server entities",
            call: |c| {
                Box::pin(async move {
                    c.list_managed_server_entities().await.map(|list: ManagedServers| {
                        list.managed_server.unwrap()[0].managed_server_type.clone().unwrap()
                    })
                })
            },
            method: "GET",
            path: "/api/managedServers".into(),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| {
                listed::<ManagedServers>("ManagedServers", &[example!("em-managedserver-entity.resource.xml")], f)
            }),
            expected: "Windows".into(),
        },
        Case {
            name: "get managed server reference",
            call: |c| {
                Box::pin(
                    async move { c.get_managed_server(id(MANAGED_SERVER)).await.map(|r| r.id().unwrap().to_string()) },
                )
            },
            method: "GET",
            path: format!("/api/managedServers/{MANAGED_SERVER}"),
            query: None,
            status: 200,
            response: Some(|f| body_in::<EntityRef>(example!("em-managedserver-ref.resource.xml"), f)),
            expected: MANAGED_SERVER.into(),
        },
        Case {
            name: "get managed server entity",
            call: |c| {
                Box::pin(async move {
                    c.get_managed_server_entity(id(MANAGED_SERVER)).await.map(|s: ManagedServer| s.description.unwrap())
                })
            },
            method: "GET",
            path: format!("/api/managedServers/{MANAGED_SERVER}"),
            query: Some("format=Entity"),
            status: 200,
            response: Some(|f| body_in::<ManagedServer>(example!("em-managedserver-entity.resource.xml"), f)),
            expected: "Target Windows server.".into(),
        },
    ]
}

#[tokio::test]
async fn jobs_their_actions_and_includes_in_both_formats() {
    run_cases(job_cases()).await;
}

#[tokio::test]
async fn backup_and_task_sessions_in_both_formats() {
    run_cases(session_cases()).await;
}

#[tokio::test]
async fn backups_restore_points_and_vm_restore_points_in_both_formats() {
    run_cases(backup_cases()).await;
}

#[tokio::test]
async fn repositories_and_managed_servers_in_both_formats() {
    run_cases(infrastructure_cases()).await;
}

/// Mounts a 202 task for `method path`, and returns the client and the server.
async fn accepting(format: Format, verb: &str, route: &str) -> (wiremock::MockServer, Client) {
    let (server, client) = logged_on(format).await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(respond(202, Some(body_in::<Task>(example!("em-job-clone.response.xml"), format))))
        .mount(&server)
        .await;
    (server, client)
}

#[tokio::test]
async fn clone_job_sends_the_documented_spec() {
    for format in BOTH {
        let (server, client) = accepting(format, "POST", &format!("/api/jobs/{JOB}")).await;
        let info = BackupJobCloneInfo::new(BackupJobCloneInfoRequired {
            job_name: "Oracle Backup 01".into(),
            folder_name: "Oracle Backup 01".into(),
            repository_uid: "urn:veeam:Repository:cbd9a4b6-b9ed-4cd6-a091-75b6481c9d55".into(),
        })
        .with_description("Cloned Oracle backup job");
        let spec = JobCloneSpec::Backup(info);
        // Every kind of copy has a name: read without a match.
        assert_eq!(spec.job_name(), "Oracle Backup 01");
        let task = client.clone_job(id(JOB), spec).await.unwrap();
        assert_eq!(task.operation.as_deref(), Some("CloneJob"));
        let request = only_request(&server, format).await;
        assert_eq!(request.url.query(), Some("action=clone"));
        let expected_json = json!({"BackupJobCloneInfo": {
            "JobName": "Oracle Backup 01",
            "FolderName": "Oracle Backup 01",
            "RepositoryUid": "urn:veeam:Repository:cbd9a4b6-b9ed-4cd6-a091-75b6481c9d55",
            "Description": "Cloned Oracle backup job"
        }});
        assert_body(&request, format, example!("em-job-clone-oracle.request.xml"), Some(expected_json));
    }
}

#[tokio::test]
async fn add_job_include_sends_the_object_and_its_guest_processing() {
    for format in BOTH {
        let (server, client) = accepting(format, "POST", &format!("/api/jobs/{JOB}/includes")).await;
        let options = GuestProcessingOptions::new()
            .with_vss_snapshot_options(
                VssSnapshotOptions::new().with_vss_snapshot_mode("RequireSuccess").with_is_copy_only(false),
            )
            .with_windows_guest_fs_indexing_options(
                GuestFsIndexingOptions::new()
                    .with_file_system_indexing_mode("ExceptSpecifiedFolders")
                    .with_included_indexing_folders(Vec::new())
                    .with_excluded_indexing_folders(vec!["%windir%".into(), "%TEMP%".into()]),
            );
        let spec = CreateObjectInJobSpec::new(CreateObjectInJobSpecRequired {
            hierarchy_obj_ref: "urn:VMware:VM:00000000-0000-0000-0000-000000000000.vm-10266".into(),
            hierarchy_obj_name: "exch02".into(),
        })
        .with_guest_processing_options(options);
        client.create_job_include(id(JOB), spec).await.unwrap();
        let request = only_request(&server, format).await;
        assert_eq!(request.url.query(), None);
        let expected_xml = r#"<CreateObjectInJobSpec xmlns="http://www.veeam.com/ent/v1.0">
            <HierarchyObjRef>urn:VMware:VM:00000000-0000-0000-0000-000000000000.vm-10266</HierarchyObjRef>
            <HierarchyObjName>exch02</HierarchyObjName>
            <GuestProcessingOptions>
              <VssSnapshotOptions><VssSnapshotMode>RequireSuccess</VssSnapshotMode><IsCopyOnly>false</IsCopyOnly></VssSnapshotOptions>
              <WindowsGuestFSIndexingOptions>
                <FileSystemIndexingMode>ExceptSpecifiedFolders</FileSystemIndexingMode>
                <IncludedIndexingFolders/>
                <ExcludedIndexingFolders><Path>%windir%</Path><Path>%TEMP%</Path></ExcludedIndexingFolders>
              </WindowsGuestFSIndexingOptions>
            </GuestProcessingOptions>
          </CreateObjectInJobSpec>"#;
        let expected_json = json!({
            "HierarchyObjRef": "urn:VMware:VM:00000000-0000-0000-0000-000000000000.vm-10266",
            "HierarchyObjName": "exch02",
            "GuestProcessingOptions": {
                "VssSnapshotOptions": {"VssSnapshotMode": "RequireSuccess", "IsCopyOnly": false},
                "WindowsGuestFSIndexingOptions": {
                    "FileSystemIndexingMode": "ExceptSpecifiedFolders",
                    "IncludedIndexingFolders": [],
                    "ExcludedIndexingFolders": ["%windir%", "%TEMP%"]
                }
            }
        });
        assert_body(&request, format, expected_xml, Some(expected_json));
    }
}

/// The query string as name/value pairs, decoded.
fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn queries_send_a_built_filter_sort_and_page_and_read_references_or_entities() {
    for format in BOTH {
        // Entities of the documented paged VM restore point query, with its request rebuilt.
        let (server, client) = logged_on(format).await;
        Mock::given(method("GET"))
            .and(path("/api/query"))
            .respond_with(respond(
                200,
                Some(body_in::<QueryResult>(example!("em-query-vmrestorepoint-paged.response.xml"), format)),
            ))
            .mount(&server)
            .await;
        let result = client
            .query_vm_restore_point_entities()
            .filter(field("VmDisplayName").eq("dbserver01"))
            .sort_desc("CreationTime")
            .page_size(3)
            .page(1)
            .await
            .unwrap();
        let points = result.entities.unwrap().vm_restore_points.unwrap();
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].vm_name.as_deref(), Some("dbserver01"));
        let paging = result.paging_info.unwrap();
        assert_eq!((paging.page_num, paging.pages_count), (Some(1), Some(7)));
        let next = paging.links.unwrap().into_iter().find(|l| l.rel == "Next").unwrap();
        assert!(next.href.contains("page=2"), "{}", next.href);
        let request = only_request(&server, format).await;
        let expected = [
            ("type", "VmRestorePoint"),
            ("format", "Entities"),
            ("filter", "VmDisplayName==dbserver01"),
            ("sortDesc", "CreationTime"),
            ("pageSize", "3"),
            ("page", "1"),
        ];
        assert_eq!(query_pairs(&request), pairs(&expected), "{format:?}");

        // The documented failed-sessions query: a filter with a result and a period.
        let (server, client) = logged_on(format).await;
        Mock::given(method("GET"))
            .and(path("/api/query"))
            .respond_with(respond(
                200,
                Some(body_in::<QueryResult>(example!("em-query-backupjobsession-entities.response.xml"), format)),
            ))
            .mount(&server)
            .await;
        let from: veeam_api::DateTime = "2025-08-15T06:00:00Z".parse().unwrap();
        let to: veeam_api::DateTime = "2025-08-16T13:00:00Z".parse().unwrap();
        let filter = field("Result").eq("Failed").and(field("CreationTime").ge(from)).and(field("CreationTime").le(to));
        let result = client.query_backup_session_entities().filter(filter).await.unwrap();
        let sessions = result.entities.unwrap().backup_job_sessions.unwrap();
        assert_eq!(sessions[0].result, Some(SessionResult::Failed));
        // A job kind the spec does not list is kept, not an error.
        assert_eq!(sessions[0].job_type.as_ref().map(JobType::as_str), Some("ImmediateBackupCopyWorker"));
        assert_eq!(sessions[1].job_type, Some(JobType::Backup));
        let request = only_request(&server, format).await;
        let expected = [
            ("type", "BackupJobSession"),
            ("format", "Entities"),
            ("filter", r#"Result==Failed;CreationTime>="2025-08-15T06:00:00Z";CreationTime<="2025-08-16T13:00:00Z""#),
        ];
        assert_eq!(query_pairs(&request), pairs(&expected), "{format:?}");
    }
}

type QueryCall = fn(Client) -> Pin<Box<dyn Future<Output = Result<QueryResult, Error>> + Send>>;

#[tokio::test]
async fn every_query_operation_names_its_type_and_format() {
    let grouped = || {
        field("JobType")
            .eq("Replica")
            .and(field("ScheduleConfigured").eq(false))
            .or(field("JobType").eq("Backup").and(field("ScheduleConfigured").eq(true)))
    };
    let queries: Vec<(&str, Option<&str>, QueryCall)> = vec![
        ("BackupServer", None, |c| Box::pin(async move { c.query_backup_servers().await })),
        ("BackupServer", Some("Entities"), |c| Box::pin(async move { c.query_backup_server_entities().await })),
        ("Job", None, |c| Box::pin(async move { c.query_jobs().await })),
        ("Job", Some("Entities"), |c| Box::pin(async move { c.query_job_entities().await })),
        ("BackupJobSession", None, |c| Box::pin(async move { c.query_backup_sessions().await })),
        ("BackupJobSession", Some("Entities"), |c| Box::pin(async move { c.query_backup_session_entities().await })),
        ("BackupTaskSession", None, |c| Box::pin(async move { c.query_backup_task_sessions().await })),
        ("BackupTaskSession", Some("Entities"), |c| {
            Box::pin(async move { c.query_backup_task_session_entities().await })
        }),
        ("Backup", None, |c| Box::pin(async move { c.query_backups().await })),
        ("Backup", Some("Entities"), |c| Box::pin(async move { c.query_backup_entities().await })),
        ("RestorePoint", None, |c| Box::pin(async move { c.query_restore_points().await })),
        ("RestorePoint", Some("Entities"), |c| Box::pin(async move { c.query_restore_point_entities().await })),
        ("VmRestorePoint", None, |c| Box::pin(async move { c.query_vm_restore_points().await })),
        ("VmRestorePoint", Some("Entities"), |c| Box::pin(async move { c.query_vm_restore_point_entities().await })),
        ("Repository", None, |c| Box::pin(async move { c.query_repositories().await })),
        ("Repository", Some("Entities"), |c| Box::pin(async move { c.query_repository_entities().await })),
        ("ManagedServer", None, |c| Box::pin(async move { c.query_managed_servers().await })),
        ("ManagedServer", Some("Entities"), |c| Box::pin(async move { c.query_managed_server_entities().await })),
    ];
    for format in BOTH {
        for (kind, entities, call) in &queries {
            let (server, client) = logged_on(format).await;
            // References for the reference format; the repository entities of the documented query otherwise.
            let body = match entities {
                None => {
                    let refs = references(kind, "x", &[JOB], Format::Xml).0.replace("EntityReferences", "QueryResult");
                    let refs = refs.replacen('>', "><Refs>", 1).replace("</QueryResult>", "</Refs></QueryResult>");
                    body_in::<QueryResult>(&refs, format)
                }
                Some(_) => body_in::<QueryResult>(example!("em-query-repository-entities.response.xml"), format),
            };
            Mock::given(method("GET"))
                .and(path("/api/query"))
                .respond_with(respond(200, Some(body)))
                .mount(&server)
                .await;
            let result = call(client).await.unwrap_or_else(|e| panic!("{kind} {entities:?} ({format:?}): {e:?}"));
            match entities {
                None => assert_eq!(result.refs.unwrap()[0].id(), Some(id(JOB)), "{kind} ({format:?})"),
                Some(_) => assert_eq!(result.entities.unwrap().repositories.unwrap().len(), 2, "{kind} ({format:?})"),
            }
            let request = only_request(&server, format).await;
            let mut expected = vec![("type", *kind)];
            expected.extend(entities.map(|e| ("format", e)));
            assert_eq!(query_pairs(&request), pairs(&expected), "{kind} ({format:?})");
        }
        // Grouping, as the grouping page documents it, sent through a query's filter.
        let (server, client) = logged_on(format).await;
        let body = body_in::<QueryResult>("<QueryResult xmlns=\"http://www.veeam.com/ent/v1.0\"/>", format);
        Mock::given(method("GET")).and(path("/api/query")).respond_with(respond(200, Some(body))).mount(&server).await;
        let result = client.query_jobs().filter(grouped()).sort_asc("Name").await.unwrap();
        assert_eq!(result.refs, None);
        let request = only_request(&server, format).await;
        let expected = [
            ("type", "Job"),
            ("filter", "(JobType==Replica;ScheduleConfigured==false),(JobType==Backup;ScheduleConfigured==true)"),
            ("sortAsc", "Name"),
        ];
        assert_eq!(query_pairs(&request), pairs(&expected), "{format:?}");
    }
}

#[tokio::test]
async fn start_a_job_and_wait_for_its_task() {
    for format in BOTH {
        let (server, client) = logged_on(format).await;
        Mock::given(method("POST"))
            .and(path(format!("/api/jobs/{JOB}")))
            .respond_with(respond(202, Some(body_in::<Task>(example!("em-job-start.response.xml"), format))))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/tasks/task-1"))
            .respond_with(respond(200, Some(body_in::<Task>(example!("em-job-start-finished.response.xml"), format))))
            .mount(&server)
            .await;
        let started = client.start_job(id(JOB)).await.unwrap();
        let wait = veeam_api::TaskWait::new().first_delay(std::time::Duration::from_millis(1));
        let finished = client.wait_for_task_with(started, &wait).await.unwrap();
        assert_eq!(finished.state, Some(TaskState::Finished));
        use veeam_api::TaskStatus;
        assert_eq!(finished.message(), Some("Job \"Oracle Backup\" triggered to start."));
    }
}

/// README's coverage table lists every Enterprise Manager operation of the spec.
#[test]
fn the_readme_lists_every_operation() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut operations = Vec::new();
    for entry in std::fs::read_dir(format!("{root}/spec/enterprise_manager")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Some((_, section)) = text.split_once("\noperations:\n") else { continue };
        // Operation ids are the section's two-space-indented keys.
        operations.extend(section.lines().filter_map(|line| {
            let key = line.strip_prefix("  ")?.strip_suffix(':')?;
            key.chars().all(|c| c.is_ascii_alphanumeric()).then(|| key.to_owned())
        }));
    }
    assert!(operations.len() >= 90, "{operations:?}");
    let missing: Vec<&String> = operations.iter().filter(|id| !readme.contains(&format!("| `{id}` |"))).collect();
    assert!(missing.is_empty(), "README's table lacks {missing:?}");
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Issuing a request whose turn came (issue.c); the inline first attempt
 * of the hot path is in issue_fast.h.
 */
#ifndef IOU_ISSUE_H
#define IOU_ISSUE_H

#include <linux/io_uring_types.h>

void io_req_issue(struct io_kiocb *req);
void io_req_queue(struct io_kiocb *req);
void io_req_retry(struct io_kiocb *req);
bool io_tw_cancelled(struct io_kiocb *req);

#endif

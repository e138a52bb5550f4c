/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_NOTIF_H
#define IOU_NOTIF_H

#include <linux/types.h>

struct io_kiocb;
struct ubuf_info;

struct io_kiocb *io_notif_alloc(struct io_kiocb *req, bool report_usage);
struct ubuf_info *io_notif_uarg(struct io_kiocb *notif);
bool io_notif_posts(struct io_kiocb *notif, bool issued);
void io_notif_release(struct io_kiocb *notif);
int io_notif_account(struct io_kiocb *notif, size_t size);

#endif
